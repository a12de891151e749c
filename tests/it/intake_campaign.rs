//! The default campaign, `input/fucha.toml`, loads and says what the 2020
//! Yueyang work plan says.

use crate::intake_support;

use fucha::review::HonourLevel;
use intake_support::{campaign, input_dir};

#[test]
fn default_campaign_loads_with_the_2020_phases_and_deadlines() {
    let c = campaign();
    assert_eq!(c.campaign.year, 2020);
    assert_eq!(c.campaign.committee, "岳阳市精神文明建设指导委员会");
    assert_eq!(c.campaign.committee_short, "岳阳市文明委");
    assert_eq!(c.campaign.office, "岳阳市精神文明建设指导委员会办公室");
    assert_eq!(c.campaign.office_short, "岳阳市文明办");
    assert_eq!(c.campaign.province_office, "湖南省文明办");
    assert_eq!(c.campaign.metadata_date.to_string(), "2020-11-06");

    let window = |l| {
        let (s, e) = c.phase_window(l).expect("level has a phase");
        (s.to_string(), e.to_string())
    };
    let july = ("2020-07-01".to_string(), "2020-07-31".to_string());
    let september = ("2020-09-01".to_string(), "2020-09-30".to_string());
    assert_eq!(window(HonourLevel::National), july);
    assert_eq!(window(HonourLevel::ProvincialModel), july);
    assert_eq!(window(HonourLevel::Provincial), september);
    // City honours were fully reviewed in 2019: spot-checked, not reported.
    assert!(!c.is_due(HonourLevel::CityModel));
    assert!(!c.is_due(HonourLevel::City));
    assert!(c.phases.iter().all(|p| !p.tasks.is_empty()));

    assert_eq!(c.deadlines.unit_report.to_string(), "2020-08-20");
    assert_eq!(c.deadlines.submission.to_string(), "2020-10-15");
    assert_eq!(c.deadlines.rectification_days, 30);
    assert_eq!(c.pass_lines.score, 80.0);
    assert_eq!(c.pass_lines.satisfaction, 85.0);
}

#[test]
fn default_campaign_configures_every_document_kind() {
    let c = campaign();
    for kind in [
        "notice",
        "circular",
        "summary",
        "provincial",
        "rectification",
        "feedback",
        "validation",
        "sample",
    ] {
        let d = c
            .documents
            .get(kind)
            .unwrap_or_else(|| panic!("no [documents.{kind}]"));
        assert!(d.date.is_some(), "{kind} has no date");
        assert!(!d.copy_to.is_empty(), "{kind} has no copy-to list");
    }
    let notice = c.document(fucha::compose::DocumentKind::from_key("notice").unwrap());
    assert_eq!(notice.number.as_deref(), Some("岳市文明委〔2020〕3号"));
    assert_eq!(notice.date.unwrap().to_string(), "2020-06-18");
    assert_eq!(
        notice.addressee.as_deref(),
        Some("各县市区文明委，市直各有关单位")
    );
    let circular = c.document(fucha::compose::DocumentKind::from_key("circular").unwrap());
    assert_eq!(circular.number.as_deref(), Some("岳市文明委〔2020〕9号"));
    assert_eq!(circular.date.unwrap().to_string(), "2020-11-06");
    let provincial = c.document(fucha::compose::DocumentKind::from_key("provincial").unwrap());
    assert_eq!(provincial.number.as_deref(), Some("岳市文明办〔2020〕21号"));
    assert_eq!(provincial.addressee.as_deref(), Some("湖南省文明办"));
    assert!((1..=2).contains(&provincial.signers.len()));
    // Per-unit notices get a running number.
    assert!(
        c.document(fucha::compose::DocumentKind::from_key("rectification").unwrap())
            .number
            .unwrap()
            .contains("{n}")
    );
}

#[test]
fn default_campaign_points_at_the_committed_roster_and_intake_folder() {
    let c = campaign();
    assert_eq!(c.roster, input_dir().join("复查单位名单.xlsx"));
    assert_eq!(c.intake, input_dir().join("报送"));
    assert!(c.roster.is_file());
    assert!(c.intake.is_dir());
}
