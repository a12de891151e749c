//! Writes the default data of `input/`: the 2020 Yueyang roster
//! (`复查单位名单.xlsx`), one filled intake workbook per reporting body
//! (`报送/<所属县市区>.xlsx`), with plausible review results, and one
//! county's correction ([`CORRECTION`]), so the demo season has two
//! versions of a body's data; then the rest of the season: the inspectors'
//! filled spot-check workbook (`抽查/`, [`SPOT_SEED`], one finding that
//! differs from the county's) and the rectification follow-ups (`整改/`,
//! [`FOLLOWUPS`]: units rectified, one not, one overdue).
//!
//! Run with `cargo run --release --example demo_input -- input/`. The output
//! is deterministic, so the committed files are exactly what this writes.
//! The roster lives in the table [`ROSTER`]; the results are derived from it
//! by fixed rules, except the units in [`FINDINGS`] and [`REFORM_STATEMENTS`].

use chrono::{Datelike, NaiveDate, Weekday};
use fucha::campaign::Campaign;
use fucha::intake::{
    FilledRow, ReformNote, Submission, intake_workbook_with_submission, roster_workbook,
};
use fucha::review::{HonourLevel, Method, Outcome};
use fucha::roster::{Roster, Unit};
use std::path::{Path, PathBuf};

const NATIONAL: &str = "全国文明单位";
const PROV_MODEL: &str = "省级文明标兵单位";
const PROV: &str = "省级文明单位";

/// One roster row: honour, award year, official name, aliases (、),
/// 所属县市区, and the reform remark (empty when untouched by the reforms).
type RosterRow = (
    &'static str,
    i32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The 111 units of the 2020 work plan, as the plan lists them.
#[rustfmt::skip]
pub const ROSTER: &[RosterRow] = &[
    // 全国文明单位 (14)
    (NATIONAL, 2008, "岳阳市中级人民法院", "", "市直", ""),
    (NATIONAL, 2008, "岳阳楼区人民检察院", "岳阳市岳阳楼区人民检察院", "岳阳楼区", ""),
    (NATIONAL, 2011, "岳阳市烟草专卖局", "岳阳市烟草专卖局（公司）", "市直", ""),
    (NATIONAL, 2011, "中国移动通信集团湖南有限公司岳阳分公司", "湖南移动岳阳分公司", "市直", ""),
    (NATIONAL, 2011, "国网岳阳供电公司", "国网湖南省电力有限公司岳阳供电分公司", "市直", ""),
    (NATIONAL, 2011, "中石化长岭炼油化工有限责任公司", "中国石化长岭分公司", "市直", ""),
    (NATIONAL, 2014, "中石化巴陵石化公司", "中国石化巴陵石化公司", "市直", ""),
    (NATIONAL, 2014, "岳阳县烟草专卖局（分公司）", "岳阳县烟草专卖局", "岳阳县", ""),
    (NATIONAL, 2014, "岳阳市君山区人民法院", "君山区人民法院", "君山区", ""),
    (NATIONAL, 2014, "岳阳楼洞庭湖风景名胜区岳阳楼·君山岛景区", "岳阳楼君山岛景区", "市直", ""),
    (NATIONAL, 2017, "岳阳县人民法院", "", "岳阳县", ""),
    (NATIONAL, 2017, "岳阳市财政局", "", "市直", ""),
    (NATIONAL, 2017, "岳阳市总工会", "", "市直", ""),
    (NATIONAL, 2017, "岳阳市人民检察院", "", "市直", ""),
    // 省级文明标兵单位 (15)
    (PROV_MODEL, 2016, "国家税务总局岳阳县税务局", "", "岳阳县", "2018年国税地税征管体制改革，原岳阳县国家税务局、地方税务局合并组建国家税务总局岳阳县税务局"),
    (PROV_MODEL, 2016, "华容县人民检察院", "", "华容县", ""),
    (PROV_MODEL, 2016, "湘阴县人民检察院", "", "湘阴县", ""),
    (PROV_MODEL, 2016, "国家税务总局临湘市税务局", "", "临湘市", "2018年国税地税征管体制改革，原临湘市国家税务局、地方税务局合并组建国家税务总局临湘市税务局"),
    (PROV_MODEL, 2016, "岳阳市人防办", "岳阳市人民防空办公室", "市直", "2019年机构改革，市人防办职责调整，由市住房和城乡建设局归口管理"),
    (PROV_MODEL, 2016, "岳阳市住房公积金管理中心", "", "市直", ""),
    (PROV_MODEL, 2016, "岳阳市住房和城乡建设局", "", "市直", ""),
    (PROV_MODEL, 2016, "国家税务总局平江县税务局", "", "平江县", "2018年国税地税征管体制改革，原平江县国家税务局、地方税务局合并组建国家税务总局平江县税务局"),
    (PROV_MODEL, 2018, "岳阳市交通运输局", "", "市直", ""),
    (PROV_MODEL, 2018, "湖南省血吸虫病防治所", "", "市直", ""),
    (PROV_MODEL, 2018, "岳阳市审计局", "", "市直", ""),
    (PROV_MODEL, 2018, "岳阳市人大常委会机关", "岳阳市人民代表大会常务委员会机关", "市直", ""),
    (PROV_MODEL, 2018, "岳阳县人民检察院", "", "岳阳县", ""),
    (PROV_MODEL, 2018, "临湘市烟草专卖局（分公司）", "临湘市烟草专卖局", "临湘市", ""),
    (PROV_MODEL, 2018, "云溪区水利局", "岳阳市云溪区水利局", "云溪区", ""),
    // 省级文明单位 2014 (19)
    (PROV, 2014, "平江县住房和城乡建设局", "", "平江县", ""),
    (PROV, 2014, "湖南移动华容县分公司", "中国移动通信集团湖南有限公司华容分公司", "华容县", ""),
    (PROV, 2014, "湖南移动湘阴县分公司", "中国移动通信集团湖南有限公司湘阴分公司", "湘阴县", ""),
    (PROV, 2014, "湖南金叶众望科技股份有限公司", "", "市直", ""),
    (PROV, 2014, "岳阳楼区国家税务局", "", "岳阳楼区", "2018年国税地税征管体制改革，与岳阳楼区地方税务局合并为国家税务总局岳阳楼区税务局"),
    (PROV, 2014, "云溪区民政局", "岳阳市云溪区民政局", "云溪区", ""),
    (PROV, 2014, "岳阳市屈原管理区市场监督管理局", "屈原管理区市场监督管理局", "屈原管理区", "2019年机构改革，整合原工商、质监、食药监职责，重新组建屈原管理区市场监督管理局"),
    (PROV, 2014, "国家税务总局岳阳经开区税务局", "国家税务总局岳阳经济技术开发区税务局", "岳阳经济技术开发区", "2018年国税地税征管体制改革，原经开区国家税务局、地方税务局合并组建"),
    (PROV, 2014, "国家税务总局岳阳市南湖新区税务局", "", "南湖新区", "2018年国税地税征管体制改革，原南湖新区国家税务局、地方税务局合并组建"),
    (PROV, 2014, "岳阳市医疗保障事务中心", "", "市直", "2019年机构改革，原市医疗保险管理服务中心划归市医疗保障局，更名为岳阳市医疗保障事务中心"),
    (PROV, 2014, "岳阳市水利局", "", "市直", ""),
    (PROV, 2014, "市中医院", "岳阳市中医医院", "市直", ""),
    (PROV, 2014, "市中心血站", "岳阳市中心血站", "市直", ""),
    (PROV, 2014, "岳阳电视转播台", "", "市直", ""),
    (PROV, 2014, "洞庭湖大桥养护中心", "岳阳市洞庭湖大桥养护中心", "市直", ""),
    (PROV, 2014, "市公交总公司", "岳阳市公共交通总公司", "市直", ""),
    (PROV, 2014, "长江岳阳航道处", "长江航道局岳阳航道处", "市直", ""),
    (PROV, 2014, "岳阳市市场监督管理局", "", "市直", "2019年机构改革，整合原市工商局、质监局、食药监局职责组建岳阳市市场监督管理局"),
    (PROV, 2014, "国家统计局岳阳调查队", "", "市直", ""),
    // 省级文明单位 2016 (28)
    (PROV, 2016, "平江县财政局", "", "平江县", ""),
    (PROV, 2016, "平江县审计局", "", "平江县", ""),
    (PROV, 2016, "平江县气象局", "", "平江县", ""),
    (PROV, 2016, "平江县人民法院", "", "平江县", ""),
    (PROV, 2016, "湖南移动岳阳县分公司", "中国移动通信集团湖南有限公司岳阳县分公司", "岳阳县", ""),
    (PROV, 2016, "国家税务总局华容县税务局", "", "华容县", "2018年国税地税征管体制改革，原华容县国家税务局、地方税务局合并组建国家税务总局华容县税务局"),
    (PROV, 2016, "华容县人力资源和社会保障局", "", "华容县", ""),
    (PROV, 2016, "华容县烟草专卖局（分公司）", "华容县烟草专卖局", "华容县", ""),
    (PROV, 2016, "国家税务总局湘阴县税务局", "", "湘阴县", "2018年国税地税征管体制改革，原湘阴县国家税务局、地方税务局合并组建国家税务总局湘阴县税务局"),
    (PROV, 2016, "湖南临湘龙源供水有限公司", "", "临湘市", ""),
    (PROV, 2016, "湖南移动临湘市分公司", "中国移动通信集团湖南有限公司临湘分公司", "临湘市", ""),
    (PROV, 2016, "汨罗市人民检察院", "", "汨罗市", ""),
    (PROV, 2016, "湖南移动汨罗市分公司", "中国移动通信集团湖南有限公司汨罗分公司", "汨罗市", ""),
    (PROV, 2016, "汨罗市审计局", "", "汨罗市", ""),
    (PROV, 2016, "岳阳楼区岳阳楼街道办事处", "岳阳楼街道办事处", "岳阳楼区", ""),
    (PROV, 2016, "云溪区检察院", "云溪区人民检察院", "云溪区", ""),
    (PROV, 2016, "云溪区人民法院", "", "云溪区", ""),
    (PROV, 2016, "君山区人民检察院", "", "君山区", ""),
    (PROV, 2016, "国家税务总局岳阳市君山区税务局", "国家税务总局君山区税务局", "君山区", "2018年国税地税征管体制改革，原君山区国家税务局、地方税务局合并组建"),
    (PROV, 2016, "国网岳阳市屈原供电分公司", "", "屈原管理区", ""),
    (PROV, 2016, "屈原管理区地方税务局", "", "屈原管理区", "2018年国税地税征管体制改革，与屈原管理区国家税务局合并为国家税务总局屈原管理区税务局"),
    (PROV, 2016, "屈原管理区国家税务局", "", "屈原管理区", "2018年国税地税征管体制改革，与屈原管理区地方税务局合并为国家税务总局屈原管理区税务局"),
    (PROV, 2016, "南湖新区求索街道办事处", "求索街道办事处", "南湖新区", ""),
    (PROV, 2016, "岳阳市卫生健康委员会", "岳阳市卫生健康委", "市直", "2019年机构改革，在原市卫生和计划生育委员会基础上组建岳阳市卫生健康委员会"),
    (PROV, 2016, "岳阳市城市管理和综合执法局", "", "市直", "2019年机构改革，原市城市管理行政执法局整合相关职责，组建岳阳市城市管理和综合执法局"),
    (PROV, 2016, "岳阳海事局", "", "市直", ""),
    (PROV, 2016, "岳阳市残疾人联合会", "岳阳市残联", "市直", ""),
    (PROV, 2016, "岳阳市气象局", "", "市直", ""),
    // 省级文明单位 2018 (35)
    (PROV, 2018, "岳阳海关", "", "市直", ""),
    (PROV, 2018, "岳阳市教育体育局", "", "市直", "2019年机构改革，原市教育局与市体育局合并组建岳阳市教育体育局"),
    (PROV, 2018, "中共岳阳市委老干部局", "", "市直", ""),
    (PROV, 2018, "长江航运公安局岳阳分局", "", "市直", ""),
    (PROV, 2018, "岳阳市水文局", "岳阳水文水资源勘测中心", "市直", ""),
    (PROV, 2018, "岳阳市工伤保险基金管理服务处", "", "市直", "2019年机构改革，工伤保险经办机构职责调整，并入市社会保险服务中心统一管理"),
    (PROV, 2018, "岳阳市国家安全局", "", "市直", ""),
    (PROV, 2018, "岳阳市人民政府办公室", "", "市直", ""),
    (PROV, 2018, "岳阳市政协机关", "政协岳阳市委员会机关", "市直", ""),
    (PROV, 2018, "中共岳阳市纪律检查委员会（监察委员会）", "中共岳阳市纪律检查委员会、岳阳市监察委员会", "市直", "2018年国家监察体制改革，组建岳阳市监察委员会，与市纪委合署办公"),
    (PROV, 2018, "中共岳阳市委宣传部", "", "市直", ""),
    (PROV, 2018, "岳阳市二人民医院", "岳阳市第二人民医院", "市直", ""),
    (PROV, 2018, "岳阳市交通质量和安全监督站", "", "市直", "2019年机构改革，交通建设质量安全监督职责调整，归入市交通运输局相关事务机构"),
    (PROV, 2018, "中共平江县委党校", "", "平江县", ""),
    (PROV, 2018, "平江县总工会", "", "平江县", ""),
    (PROV, 2018, "平江县民政局", "", "平江县", ""),
    (PROV, 2018, "岳阳县教育体育局", "", "岳阳县", "2019年机构改革，原岳阳县教育局与县体育局职责整合，组建岳阳县教育体育局"),
    (PROV, 2018, "岳阳县林业局", "", "岳阳县", ""),
    (PROV, 2018, "华容县人民法院", "", "华容县", ""),
    (PROV, 2018, "国网湖南省电力有限公司华容县供电分公司", "国网华容县供电公司", "华容县", ""),
    (PROV, 2018, "岳阳市生态环境局湘阴分局", "", "湘阴县", "2019年生态环境机构改革，原湘阴县环境保护局调整为岳阳市生态环境局湘阴分局，由市生态环境局垂直管理"),
    (PROV, 2018, "湘阴县血吸虫病防治中心", "", "湘阴县", ""),
    (PROV, 2018, "临湘市人民检察院", "", "临湘市", ""),
    (PROV, 2018, "临湘市气象局", "", "临湘市", ""),
    (PROV, 2018, "临湘市人民法院", "", "临湘市", ""),
    (PROV, 2018, "临湘市市场监督管理局", "", "临湘市", ""),
    (PROV, 2018, "汨罗市烟草专卖局（分公司）", "汨罗市烟草专卖局", "汨罗市", ""),
    (PROV, 2018, "国网湖南省电力有限公司汨罗市供电分公司", "国网汨罗市供电公司", "汨罗市", ""),
    (PROV, 2018, "国家税务总局汨罗市税务局", "", "汨罗市", ""),
    (PROV, 2018, "岳阳楼区洞庭街道办事处", "洞庭街道办事处", "岳阳楼区", ""),
    (PROV, 2018, "国家税务总局岳阳楼区税务局", "", "岳阳楼区", ""),
    (PROV, 2018, "君山区人力资源和社会保障局", "", "君山区", ""),
    (PROV, 2018, "屈原管理区人民法院", "", "屈原管理区", ""),
    (PROV, 2018, "国家税务总局屈原管理区税务局", "", "屈原管理区", ""),
    (PROV, 2018, "中国联通岳阳分公司", "中国联合网络通信有限公司岳阳市分公司", "市直", ""),
];

/// Units whose review did not simply pass: outcome, score, satisfaction,
/// negative-list entry, problems found, rectification asked.
type Finding = (
    &'static str,
    Outcome,
    f64,
    f64,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const FINDINGS: &[Finding] = &[
    ("岳阳市住房公积金管理中心", Outcome::Rectify, 82.5, 86.4, "",
     "服务大厅志愿服务岗设置流于形式，现场无人值守；道德讲堂上半年仅开展1次，未达到每季度不少于1次的要求。",
     "30日内完善志愿服务岗值守制度并公示排班；按季度开展道德讲堂活动，整改情况书面报市文明办。"),
    ("岳阳市残疾人联合会", Outcome::Rectify, 81.0, 87.2, "",
     "创建档案不完整，2019年度创建工作计划和总结缺失；单位内部公益广告宣传阵地更新不及时。",
     "补齐2019年以来的创建档案，建立专人管理制度；更新公益广告宣传内容，限期30日内整改到位。"),
    ("华容县人力资源和社会保障局", Outcome::Rectify, 80.5, 85.6, "",
     "窗口服务群众反映办事等候时间较长，满意度问卷中对服务效率的评价偏低；未落实“首问负责”制度公示。",
     "优化业务办理流程，增设高峰时段服务窗口；公示首问负责、限时办结等制度，30日内报送整改报告。"),
    ("平江县审计局", Outcome::Criticism, 76.5, 83.0, "",
     "文明创建工作领导小组长期未调整，创建工作无人统筹；志愿服务活动记录弄虚作假，多条记录无实际活动支撑。",
     "立即调整创建工作领导小组，明确分管领导和专人；对志愿服务记录进行全面清理，在全局通报并限期30日整改。"),
    ("云溪区民政局", Outcome::Criticism, 74.0, 81.5, "",
     "测评得分低于合格线；未按要求开展未成年人思想道德建设和移风易俗工作；单位环境卫生较差。",
     "对照测评体系逐项整改，开展移风易俗专项宣传；落实环境卫生责任制，整改情况报区文明办复核。"),
    ("岳阳市生态环境局湘阴分局", Outcome::WarningTalk, 83.0, 88.0, "",
     "机构改革后创建工作衔接不到位，原县环保局创建档案未完整移交，部分制度仍沿用改革前文件。",
     "由分局主要负责人接受约谈，30日内完成创建档案移交和制度修订，重新明确创建工作责任人。"),
    ("湖南临湘龙源供水有限公司", Outcome::Revoke, 61.5, 72.3,
     "文明创建工作机制瘫痪，2019年以来未开展任何创建活动（负面清单“创建工作停滞”情形）",
     "创建工作领导机构名存实亡，2019年以来无计划、无活动、无档案；群众对供水服务投诉较多，满意度明显偏低。",
     "撤销省级文明单位称号（报请省文明办审定）；单位应重新建立创建工作机制，三年内不得申报文明单位。"),
];

/// Reform statements written in full by the county, instead of the standard
/// statement built from the roster's remark.
#[rustfmt::skip]
const REFORM_STATEMENTS: &[(&str, &str)] = &[
    ("屈原管理区地方税务局", "2018年7月，屈原管理区地方税务局与屈原管理区国家税务局合并，组建国家税务总局屈原管理区税务局，原单位不再保留。合并后原两局文明创建档案统一移交新局，由新局文明创建工作领导小组统一组织本次复查，复查结果按新局情况填报。"),
    ("屈原管理区国家税务局", "2018年7月，屈原管理区国家税务局与屈原管理区地方税务局合并，组建国家税务总局屈原管理区税务局，原单位不再保留。本次与屈原管理区地方税务局一并由新局接受复查，创建工作保持连续。"),
    ("岳阳楼区国家税务局", "2018年7月，岳阳楼区国家税务局与岳阳楼区地方税务局合并，组建国家税务总局岳阳楼区税务局（2018年获评省级文明单位）。原单位文明创建工作并入新局，本次由新局统一接受复查。"),
];

/// Per body: 联系人, 联系电话, 报送日期 (day in October 2020).
#[rustfmt::skip]
const SUBMISSIONS: &[(&str, &str, &str, u32)] = &[
    ("市直", "陈晓玲", "0730-8251236", 12),
    ("岳阳楼区", "刘芳", "0730-8223517", 12),
    ("云溪区", "王建华", "0730-8412036", 13),
    ("君山区", "李娟", "0730-8361248", 9),
    ("岳阳县", "张伟", "0730-7622315", 13),
    ("华容县", "周敏", "0730-4221089", 14),
    ("湘阴县", "彭丽", "0730-2213357", 12),
    ("平江县", "吴志强", "0730-6222746", 14),
    ("汨罗市", "黄静", "0730-5223619", 10),
    ("临湘市", "杨帆", "0730-3721455", 13),
    ("屈原管理区", "邓勇", "0730-5781203", 9),
    ("岳阳经济技术开发区", "胡蓉", "0730-8302278", 13),
    ("南湖新区", "谢婷", "0730-8729031", 12),
];

/// 汨罗市 sends its table again (a 更正, on 14 October) with one score
/// corrected: the register keeps both versions and the correction is in
/// force. Body, unit, corrected score, day in October.
const CORRECTION: (&str, &str, f64, u32) = ("汨罗市", "汨罗市人民检察院", 88.0, 14);

fn main() {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("input"));
    match write_demo_input(&out) {
        Ok(files) => {
            for f in files {
                println!("已写入 {}", f.display());
            }
        }
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::exit(1);
        }
    }
}

/// Writes the roster and the filled intake workbooks into `dir`, reading
/// the campaign from `dir/fucha.toml`. Returns the files written.
pub fn write_demo_input(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let campaign = Campaign::load(&dir.join("fucha.toml"))?;
    let roster = demo_roster();
    let mut written = Vec::new();
    let roster_path = dir.join("复查单位名单.xlsx");
    std::fs::write(&roster_path, roster_workbook(&roster, &campaign)?)?;
    written.push(roster_path);
    let intake_dir = dir.join("报送");
    std::fs::create_dir_all(&intake_dir)?;
    for body in roster.jurisdictions() {
        let rows = filled_rows(&roster, body, &campaign);
        if rows.is_empty() {
            continue; // a body with no due unit gets no workbook
        }
        let submission = submission(body)?;
        let bytes =
            intake_workbook_with_submission(&roster, body, &campaign, &rows, Some(&submission))?;
        let path = intake_dir.join(format!("{body}.xlsx"));
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    written.push(write_correction(&roster, &campaign, &intake_dir)?);
    // What the county files say, as the office's first check reads them.
    let batch = fucha::check::check_paths(&[intake_dir], &roster, &campaign);
    written.push(write_spot_check(dir, &roster, &campaign, &batch)?);
    written.extend(write_followups(dir, &roster, &campaign, &batch)?);
    Ok(written)
}

/// The seed and size of the city's spot-check draw (the 随机抽查名单's
/// date as a number, as the office would choose it).
const SPOT_SEED: u64 = 20201020;
const SPOT_COUNT: usize = 10;

/// The inspectors' workbook: every drawn unit inspected, each confirming
/// the county's result but the first unit the county passed, where the
/// city finds problems the county missed.
fn write_spot_check(
    dir: &Path,
    roster: &Roster,
    campaign: &Campaign,
    batch: &fucha::check::CheckedBatch,
) -> anyhow::Result<PathBuf> {
    use fucha::intake::spot::{confirming_finding, spot_check_file_name, spot_check_workbook};
    let picked = fucha::sample::draw_record(roster, &batch.results, SPOT_COUNT, SPOT_SEED);
    let draw = fucha::check::spot::SpotDraw {
        seed: picked.seed,
        units: picked.picks.iter().map(|p| p.unit.clone()).collect(),
    };
    let mut discrepancy_made = false;
    let mut filled = Vec::new();
    for (i, unit) in draw.units.iter().enumerate() {
        let county = batch
            .results
            .iter()
            .find(|r| r.unit == *unit)
            .ok_or_else(|| anyhow::anyhow!("抽中的“{unit}”没有县市区的复查结果"))?;
        let date = NaiveDate::from_ymd_opt(2020, 10, 21 + i as u32 / 2)
            .ok_or_else(|| anyhow::anyhow!("抽查日期有误"))?;
        let mut row = confirming_finding(county, date);
        if !discrepancy_made && county.outcome == Outcome::Pass {
            discrepancy_made = true;
            row.score = Some(82.0);
            row.problems =
                "创建工作台账不全，2020年志愿服务活动记录缺失；县市区复查时未发现。".into();
            row.rectification =
                "由单位主要负责人接受约谈，30日内补齐创建台账和志愿服务记录。".into();
            row.outcome = Some(Outcome::WarningTalk);
        }
        filled.push(row);
    }
    let bytes = spot_check_workbook(roster, campaign, &draw, &batch.results, &filled)?;
    let folder = dir.join("抽查");
    std::fs::create_dir_all(&folder)?;
    let path = folder.join(spot_check_file_name(campaign));
    std::fs::write(&path, bytes)?;
    Ok(path)
}

/// How each unit under follow-up ends the season, by name: rectified
/// (true), not rectified (false). A unit not listed reports nothing and is
/// overdue on the config's reference date.
#[rustfmt::skip]
const FOLLOWUPS: &[(&str, bool, &str)] = &[
    ("岳阳市住房公积金管理中心", true, "调整创建工作领导小组，明确分管领导和专职人员；补齐2019年以来志愿服务记录并建立月度台账。"),
    ("华容县人力资源和社会保障局", true, "对照测评体系逐项整改，修订文明创建制度6项，开展窗口服务规范化培训2次。"),
    ("岳阳市残疾人联合会", true, "完善未成年人思想道德建设工作计划，开展主题活动3次，整改情况经市文明办复核。"),
    ("平江县审计局", false, "制定了整改方案，但创建档案仍未补齐，志愿服务活动未按计划开展。"),
];

/// The follow-up workbooks of the bodies whose units reported, filled as
/// [`FOLLOWUPS`] says, accepted (验收) by the city office.
fn write_followups(
    dir: &Path,
    roster: &Roster,
    campaign: &Campaign,
    batch: &fucha::check::CheckedBatch,
) -> anyhow::Result<Vec<PathBuf>> {
    use fucha::intake::followup::{FollowupFill, followup_workbook};
    let notices: Vec<_> = fucha::compose::issued_notices(batch, roster, campaign)
        .into_iter()
        .filter(fucha::rectify::needs_followup)
        .collect();
    let folder = dir.join("整改");
    std::fs::create_dir_all(&folder)?;
    let mut written = Vec::new();
    for body in roster.jurisdictions() {
        let of_body: Vec<_> = notices.iter().filter(|n| n.jurisdiction == body).collect();
        let fills: Vec<FollowupFill> = of_body
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let &(_, rectified, measures) = FOLLOWUPS.iter().find(|f| f.0 == n.unit)?;
                let day = |d: u32| NaiveDate::from_ymd_opt(2020, 12, d);
                Some(FollowupFill {
                    unit: n.unit.clone(),
                    measures: measures.to_string(),
                    completed: day(1 + i as u32),
                    evidence: "整改情况报告、相关制度文件和活动记录（复印件）".to_string(),
                    accepted: Some(rectified),
                    accepted_by: "市文明办 陈晓玲".to_string(),
                    accepted_on: day(14),
                    remarks: if rectified {
                        String::new()
                    } else {
                        "验收时创建档案仍不完整".to_string()
                    },
                })
            })
            .collect();
        if fills.is_empty() {
            continue; // nothing reported: the body sends no workbook
        }
        let bytes = followup_workbook(&of_body, roster, campaign, body, &fills)?;
        let path = folder.join(format!("{body}整改落实情况表.xlsx"));
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The [`CORRECTION`]: the body's whole table again, one score changed.
fn write_correction(roster: &Roster, campaign: &Campaign, dir: &Path) -> anyhow::Result<PathBuf> {
    let (body, unit, score, day) = CORRECTION;
    let mut rows = filled_rows(roster, body, campaign);
    let row = rows
        .iter_mut()
        .find(|r| r.unit == unit)
        .ok_or_else(|| anyhow::anyhow!("{body}的报送表中没有“{unit}”"))?;
    row.score = Some(score);
    let mut submission = submission(body)?;
    submission.date = NaiveDate::from_ymd_opt(2020, 10, day)
        .ok_or_else(|| anyhow::anyhow!("报送日期有误：10月{day}日"))?;
    let bytes = intake_workbook_with_submission(roster, body, campaign, &rows, Some(&submission))?;
    let path = dir.join(format!("{body}（更正）.xlsx"));
    std::fs::write(&path, bytes)?;
    Ok(path)
}

/// The roster of [`ROSTER`] as the library's type.
pub fn demo_roster() -> Roster {
    let units = ROSTER
        .iter()
        .map(|&(level, year, name, aliases, body, remark)| Unit {
            name: name.to_string(),
            aliases: aliases
                .split('、')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            level: HonourLevel::parse(level).expect("ROSTER uses official level names"),
            award_year: year,
            jurisdiction: body.to_string(),
            reform: !remark.is_empty(),
            remarks: remark.to_string(),
        })
        .collect();
    Roster::from_units(units)
}

/// The review results of one body's due units.
fn filled_rows(roster: &Roster, body: &str, campaign: &Campaign) -> Vec<FilledRow> {
    let due: Vec<&Unit> = roster
        .units_of(body)
        .filter(|u| campaign.is_due(u.level))
        .collect();
    let mut per_phase_index = std::collections::BTreeMap::new();
    due.iter()
        .enumerate()
        .map(|(i, unit)| {
            let (start, end) = campaign
                .phase_window(unit.level)
                .expect("due units have a phase");
            let k = per_phase_index.entry(start).or_insert(0usize);
            let date = review_date(start, end, *k);
            *k += 1;
            result_for(unit, date, i)
        })
        .collect()
}

/// The k-th review of a phase: two units a working day from the first
/// Monday of the window, never past its end.
fn review_date(start: NaiveDate, end: NaiveDate, k: usize) -> NaiveDate {
    let mut day = start;
    while day.weekday() != Weekday::Mon {
        day = day.succ_opt().unwrap_or(day);
    }
    let mut remaining = k / 2;
    while remaining > 0 {
        day = day.succ_opt().unwrap_or(day);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            remaining -= 1;
        }
    }
    day.min(end)
}

/// One unit's result: a finding from [`FINDINGS`], or a pass with a score
/// and satisfaction derived from the name (stable, spread over 85-98).
fn result_for(unit: &Unit, date: NaiveDate, i: usize) -> FilledRow {
    let all_four = vec![
        Method::OnSite,
        Method::Hearing,
        Method::Files,
        Method::Survey,
    ];
    let mut row = FilledRow {
        unit: unit.name.clone(),
        review_date: Some(date),
        ..FilledRow::default()
    };
    if let Some(&(_, outcome, score, sat, negative, problems, fix)) =
        FINDINGS.iter().find(|f| f.0 == unit.name)
    {
        row.methods = all_four;
        row.score = Some(score);
        row.satisfaction = Some(sat);
        row.negative_list = negative.to_string();
        row.problems = problems.to_string();
        row.rectification = fix.to_string();
        row.outcome = Some(outcome);
    } else {
        let h = name_hash(&unit.name);
        row.score = Some(85.0 + (h % 27) as f64 / 2.0);
        // Provincial units: every fourth one without a survey.
        let surveyed = unit.level != HonourLevel::Provincial || i % 4 != 3;
        if surveyed {
            row.methods = all_four;
            row.satisfaction = Some(88.0 + ((h >> 8) % 23) as f64 / 2.0);
        } else {
            row.methods = vec![Method::OnSite, Method::Hearing, Method::Files];
        }
        row.outcome = Some(Outcome::Pass);
    }
    if unit.reform {
        row.reform_note = Some(reform_note(unit, i));
    }
    row
}

/// The reform statement, in the column for even rows and in the reform
/// sheet for odd ones, so the demo shows both ways the format allows.
fn reform_note(unit: &Unit, i: usize) -> ReformNote {
    let text = REFORM_STATEMENTS
        .iter()
        .find(|(name, _)| *name == unit.name)
        .map(|(_, s)| s.to_string())
        .unwrap_or_else(|| {
            format!(
                "{}。改革后单位及时调整文明创建工作领导小组，明确专人负责，创建档案已完成移交衔接，创建工作未中断，本次按改革后的机构和职能接受复查。",
                unit.remarks
            )
        });
    if i.is_multiple_of(2) {
        ReformNote::InColumn(text)
    } else {
        ReformNote::InSheet(text)
    }
}

fn submission(body: &str) -> anyhow::Result<Submission> {
    let &(_, contact, phone, day) = SUBMISSIONS
        .iter()
        .find(|s| s.0 == body)
        .ok_or_else(|| anyhow::anyhow!("SUBMISSIONS 缺少“{body}”"))?;
    Ok(Submission {
        contact: contact.to_string(),
        phone: phone.to_string(),
        date: NaiveDate::from_ymd_opt(2020, 10, day)
            .ok_or_else(|| anyhow::anyhow!("报送日期有误：10月{day}日"))?,
    })
}

/// FNV-1a over the name: the same on every machine and every run.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
