//! The workbench's accounts for the CLI (issue #15): a county account is
//! bound to a reporting body of the roster, checked here because only the
//! pipeline holds both the roster and the register.

use super::{Context, PipelineError};
use crate::register::{Account, Register, RegisterError, Role};

/// Creates an account in the season's register; a county account's body
/// must be one of the roster's reporting bodies.
pub fn add_account(
    ctx: &Context,
    name: &str,
    role: &Role,
    password: &str,
) -> Result<Account, PipelineError> {
    if let Role::County(body) = role
        && !ctx.roster.jurisdictions().contains(&body.as_str())
    {
        return Err(RegisterError::Account(format!(
            "复查单位名单中没有报送单位“{body}”；可用的有：{}",
            ctx.roster.jurisdictions().join("、")
        ))
        .into());
    }
    let mut register = Register::open(&ctx.campaign.register)?;
    Ok(register.add_account(name, role, password, super::received::now())?)
}

/// Every account of the season's register, by name.
pub fn accounts(ctx: &Context) -> Result<Vec<Account>, PipelineError> {
    Ok(Register::open(&ctx.campaign.register)?.accounts()?)
}
