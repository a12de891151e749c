//! The workbench's accounts (issue #15): who may sign in, their sessions,
//! every login attempt and an audit log of what each one did.
//!
//! Passwords are kept only as argon2 hashes (PHC strings) and session
//! tokens only as their SHA-256: a copy of the register gives neither a
//! password nor a live session. The lockout rule (5 failures lock an
//! account for 15 minutes) and the idle timeout live here, beside the
//! data they read, so every front end applies the same ones.

use super::{Register, RegisterError};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{NaiveDateTime, TimeDelta};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

/// An account's row id.
pub type AccountId = i64;

/// Failed logins in a row that lock an account.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// How long a session lives without a request.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The time format of these tables, as the rest of the register.
const TIME: &str = "%Y-%m-%dT%H:%M:%S%.6f";

/// What an account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A clerk of the city office: every body.
    City,
    /// A county office's account: only the reporting body named.
    County(String),
}

impl Role {
    /// The role's name in Chinese.
    pub fn label(&self) -> &'static str {
        match self {
            Role::City => "市文明办",
            Role::County(_) => "县市区",
        }
    }

    /// Whether the account may see `body`'s submissions.
    pub fn may_see(&self, body: &str) -> bool {
        match self {
            Role::City => true,
            Role::County(own) => own == body,
        }
    }
}

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// The login name.
    pub name: String,
    /// What it may see.
    pub role: Role,
    /// When it was created.
    pub created_at: NaiveDateTime,
}

/// The answer to a login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// The password matched: a session is open.
    Opened(Account, NewSession),
    /// No such account, or the wrong password.
    Refused,
    /// The account is locked until the time given (the password was not
    /// even checked).
    Locked(NaiveDateTime),
}

/// A session just opened: the token goes into the cookie and is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The secret the browser sends back.
    pub token: String,
    /// The token every form of the session carries.
    pub csrf: String,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose it is.
    pub account: Account,
    /// The token its forms must carry.
    pub csrf: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: NaiveDateTime,
    /// The login name given (for a failed login, the name tried).
    pub account: Option<String>,
    /// What happened, a stable code (`login`, `login_failed`, `view`, …).
    pub action: String,
    /// What was seen or done, in Chinese.
    pub detail: String,
}

/// Why a password is too weak, in Chinese; None when it passes: at least
/// [`MIN_PASSWORD_CHARS`] characters and three of the four kinds (lower
/// case, upper case, digits, symbols), as 等保 2.0 assessments ask.
pub fn password_weakness(password: &str) -> Option<String> {
    let chars = password.chars().count();
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password
            .chars()
            .any(|c| !c.is_ascii_alphanumeric() && !c.is_whitespace()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if chars < MIN_PASSWORD_CHARS {
        Some(format!(
            "密码太短：至少 {MIN_PASSWORD_CHARS} 个字符，现在只有 {chars} 个"
        ))
    } else if kinds < 3 {
        Some(format!(
            "密码太简单：小写字母、大写字母、数字、符号四类中至少要有三类，现在只有 {kinds} 类"
        ))
    } else {
        None
    }
}

/// The argon2 hash of a password, as a PHC string with its own salt.
fn hash_password(password: &str) -> Result<String, RegisterError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| RegisterError::Account(format!("无法计算密码的哈希：{e}")))
}

/// Whether `password` matches the stored hash (argon2 compares in
/// constant time).
fn password_matches(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// A hash to check wrong names against, so a login for a name that does
/// not exist takes as long as one with a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-Password-1").unwrap_or_default())
}

/// 32 random bytes from the OS, in hex.
fn random_token() -> Result<String, RegisterError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| RegisterError::Account(format!("无法取得随机数：{e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the register keeps of a session token.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn time(at: NaiveDateTime) -> String {
    at.format(TIME).to_string()
}

fn parse_time(i: usize, text: &str) -> rusqlite::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, TIME).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

const ACCOUNT_COLUMNS: &str = "id, name, role, body, created_at";

fn account(row: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let role: String = row.get(2)?;
    let body: Option<String> = row.get(3)?;
    let role = match (role.as_str(), body) {
        ("county", Some(body)) => Role::County(body),
        _ => Role::City,
    };
    Ok(Account {
        id: row.get(0)?,
        name: row.get(1)?,
        role,
        created_at: parse_time(4, &row.get::<_, String>(4)?)?,
    })
}

impl Register {
    /// Creates an account; refuses a weak password, a taken name or a
    /// county account without its body.
    pub fn add_account(
        &mut self,
        name: &str,
        role: &Role,
        password: &str,
        now: NaiveDateTime,
    ) -> Result<Account, RegisterError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RegisterError::Account("账号名不能为空".into()));
        }
        if let Some(weak) = password_weakness(password) {
            return Err(RegisterError::Account(weak));
        }
        if let Role::County(body) = role
            && body.trim().is_empty()
        {
            return Err(RegisterError::Account(
                "县市区账号须指明所属报送单位".into(),
            ));
        }
        if self.account(name)?.is_some() {
            return Err(RegisterError::Account(format!("账号“{name}”已存在")));
        }
        let hash = hash_password(password)?;
        let (role_code, body) = match role {
            Role::City => ("city", None),
            Role::County(body) => ("county", Some(body.as_str())),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO accounts (name, role, body, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, role_code, body, hash, time(now)],
            )?;
            audit_in(tx, Some(name), "account_added", role.label(), now)
        })?;
        self.account(name)?
            .ok_or_else(|| RegisterError::Account(format!("账号“{name}”未能保存")))
    }

    /// The account with this login name.
    pub fn account(&self, name: &str) -> Result<Option<Account>, RegisterError> {
        self.conn
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = ?1"),
                params![name],
                account,
            )
            .optional()
            .map_err(|e| self.db(e))
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<Account>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name"
            ))
            .map_err(|e| self.db(e))?;
        stmt.query_map([], account)
            .and_then(Iterator::collect)
            .map_err(|e| self.db(e))
    }

    /// Checks a login and, when it succeeds, opens a session. Every
    /// attempt is recorded; [`MAX_FAILED_LOGINS`] failures in a row lock
    /// the account for [`LOCKOUT`], and a locked account is refused even
    /// with the right password.
    pub fn login(
        &mut self,
        name: &str,
        password: &str,
        now: NaiveDateTime,
    ) -> Result<Login, RegisterError> {
        let stored: Option<(AccountId, String, u32, Option<String>)> = self
            .conn
            .query_row(
                "SELECT id, password_hash, failed_logins, locked_until FROM accounts
                 WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some((id, hash, failed, locked_until)) = stored else {
            let _ = password_matches(password, decoy_hash());
            self.record_attempt(name, None, "login_failed", "账号不存在", now)?;
            return Ok(Login::Refused);
        };
        let locked_until = locked_until
            .map(|t| parse_time(0, &t))
            .transpose()
            .map_err(|e| self.db(e))?
            .filter(|until| *until > now);
        if let Some(until) = locked_until {
            // As long as a real check, so timing does not tell a lock.
            let _ = password_matches(password, decoy_hash());
            self.record_attempt(name, None, "login_locked", "账号锁定中", now)?;
            return Ok(Login::Locked(until));
        }
        if !password_matches(password, &hash) {
            let failed = failed + 1;
            let (failed, lock) = if failed >= MAX_FAILED_LOGINS {
                (0, Some(time(now + LOCKOUT)))
            } else {
                (failed, None)
            };
            let detail = match lock {
                Some(_) => format!("密码错误，连续失败 {MAX_FAILED_LOGINS} 次，账号锁定"),
                None => "密码错误".to_string(),
            };
            self.record_attempt(name, Some((id, failed, lock)), "login_failed", &detail, now)?;
            return Ok(Login::Refused);
        }
        let session = NewSession {
            token: random_token()?,
            csrf: random_token()?,
        };
        self.write(|tx| {
            tx.execute(
                "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                params![id],
            )?;
            tx.execute(
                "INSERT INTO login_attempts (name, at, succeeded) VALUES (?1, ?2, 1)",
                params![name, time(now)],
            )?;
            tx.execute(
                "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![token_hash(&session.token), id, session.csrf, time(now)],
            )?;
            audit_in(tx, Some(name), "login", "登录成功", now)
        })?;
        let account = self
            .account(name)?
            .ok_or_else(|| RegisterError::Account(format!("账号“{name}”不存在")))?;
        Ok(Login::Opened(account, session))
    }

    /// Records a failed attempt; `update` sets the account's failure count
    /// and lock.
    fn record_attempt(
        &mut self,
        name: &str,
        update: Option<(AccountId, u32, Option<String>)>,
        action: &str,
        detail: &str,
        now: NaiveDateTime,
    ) -> Result<(), RegisterError> {
        self.write(|tx| {
            if let Some((id, failed, lock)) = &update {
                tx.execute(
                    "UPDATE accounts SET failed_logins = ?2,
                     locked_until = coalesce(?3, locked_until) WHERE id = ?1",
                    params![id, failed, lock],
                )?;
            }
            tx.execute(
                "INSERT INTO login_attempts (name, at, succeeded) VALUES (?1, ?2, 0)",
                params![name, time(now)],
            )?;
            audit_in(tx, Some(name), action, detail, now)
        })
    }

    /// The live session of a token, its idle time renewed; None when the
    /// token is unknown or the session idled past [`IDLE_TIMEOUT`] (it is
    /// then closed).
    pub fn session(
        &mut self,
        token: &str,
        now: NaiveDateTime,
    ) -> Result<Option<Session>, RegisterError> {
        let hash = token_hash(token);
        let found: Option<(AccountId, String, String)> = self
            .conn
            .query_row(
                "SELECT account_id, csrf_token, last_seen FROM sessions WHERE token_hash = ?1",
                params![hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some((account_id, csrf, last_seen)) = found else {
            return Ok(None);
        };
        let last_seen = parse_time(2, &last_seen).map_err(|e| self.db(e))?;
        if now - last_seen > IDLE_TIMEOUT {
            self.write(|tx| {
                tx.execute("DELETE FROM sessions WHERE token_hash = ?1", params![hash])?;
                Ok(())
            })?;
            return Ok(None);
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
                params![hash, time(now)],
            )?;
            Ok(())
        })?;
        let account = self
            .conn
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"),
                params![account_id],
                account,
            )
            .map_err(|e| self.db(e))?;
        Ok(Some(Session { account, csrf }))
    }

    /// Closes the session of a token (logout).
    pub fn close_session(&mut self, token: &str) -> Result<(), RegisterError> {
        let hash = token_hash(token);
        self.write(|tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", params![hash])?;
            Ok(())
        })
    }

    /// Adds a line to the audit log.
    pub fn audit(
        &mut self,
        account: Option<&str>,
        action: &str,
        detail: &str,
        now: NaiveDateTime,
    ) -> Result<(), RegisterError> {
        self.write(|tx| audit_in(tx, account, action, detail, now))
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditEntry>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, account, action, detail FROM audit_log ORDER BY id")
            .map_err(|e| self.db(e))?;
        stmt.query_map([], |r| {
            Ok(AuditEntry {
                at: parse_time(0, &r.get::<_, String>(0)?)?,
                account: r.get(1)?,
                action: r.get(2)?,
                detail: r.get(3)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|e| self.db(e))
    }
}

fn audit_in(
    tx: &rusqlite::Transaction<'_>,
    account: Option<&str>,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, account, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![time(now), account, action, detail],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2020, 10, 12)
            .and_then(|d| d.and_hms_opt(9, minute, 0))
            .expect("a valid time")
    }

    fn register() -> (tempfile::TempDir, Register) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let register = Register::open(&dir.path().join("r.sqlite")).expect("a register");
        (dir, register)
    }

    #[test]
    fn a_password_needs_ten_characters_of_three_kinds() {
        assert!(password_weakness("Abc-123").unwrap().contains("太短"));
        assert!(password_weakness("abcdefghij1").unwrap().contains("太简单"));
        assert_eq!(password_weakness("abcdefgh1J"), None);
        assert_eq!(password_weakness("岳阳市文明办abcd-12"), None);
    }

    #[test]
    fn the_fifth_failure_locks_and_the_lock_ends_after_fifteen_minutes() {
        let (_dir, mut r) = register();
        r.add_account("clerk", &Role::City, "Yueyang-2020", at(0))
            .unwrap();
        for _ in 0..4 {
            assert_eq!(r.login("clerk", "wrong", at(1)).unwrap(), Login::Refused);
        }
        assert_eq!(r.login("clerk", "wrong", at(1)).unwrap(), Login::Refused);
        assert_eq!(
            r.login("clerk", "Yueyang-2020", at(2)).unwrap(),
            Login::Locked(at(16))
        );
        assert!(matches!(
            r.login("clerk", "Yueyang-2020", at(17)).unwrap(),
            Login::Opened(..)
        ));
    }

    #[test]
    fn a_session_idles_out_after_thirty_minutes() {
        let (_dir, mut r) = register();
        r.add_account("hn", &Role::County("汨罗市".into()), "Miluo-2020!", at(0))
            .unwrap();
        let Login::Opened(_, s) = r.login("hn", "Miluo-2020!", at(0)).unwrap() else {
            panic!("login refused")
        };
        let live = r
            .session(&s.token, at(29))
            .unwrap()
            .expect("live at 29 min");
        assert_eq!(live.account.role, Role::County("汨罗市".into()));
        assert_eq!(live.csrf, s.csrf);
        // Renewed at 29, so still live at 58; then 31 minutes idle.
        assert!(r.session(&s.token, at(58)).unwrap().is_some());
        let later = at(58) + TimeDelta::minutes(31);
        assert_eq!(r.session(&s.token, later).unwrap(), None);
    }

    #[test]
    fn a_weak_password_or_a_taken_name_is_refused() {
        let (_dir, mut r) = register();
        let weak = r.add_account("a", &Role::City, "password", at(0));
        assert!(weak.unwrap_err().to_string().contains("密码太短"));
        r.add_account("a", &Role::City, "Yueyang-2020", at(0))
            .unwrap();
        let again = r.add_account("a", &Role::City, "Yueyang-2021", at(0));
        assert!(again.unwrap_err().to_string().contains("已存在"));
        assert_eq!(r.accounts().unwrap().len(), 1);
    }
}
