//! Name tables for synthetic campaigns: county-level bodies, the organs and
//! institutions a county has, towns, and the people who fill in the forms.
//!
//! Names are built the way real ones are (county name and organ; 国家税务总局,
//! county and 税务局; 国网, county and 供电分公司 ...), so that name lengths,
//! the characters used and the work of normalising and matching them look
//! like real data to `check` and to the renderers.

/// First characters of county names.
const COUNTY_FIRST: [&str; 48] = [
    "安", "平", "长", "宁", "新", "永", "清", "东", "西", "南", "北", "龙", "凤", "桃", "石", "云",
    "华", "湘", "江", "临", "双", "泉", "武", "兴", "嘉", "洪", "衡", "桂", "沅", "澧", "资", "涟",
    "攸", "茶", "醴", "浏", "韶", "邵", "祁", "耒", "汝", "通", "会", "麻", "辰", "溆", "芷", "靖",
];

/// Second characters of county names.
const COUNTY_SECOND: [&str; 44] = [
    "乡", "阳", "陵", "山", "源", "溪", "水", "江", "化", "宁", "安", "平", "丰", "城", "沙", "陂",
    "湖", "岗", "州", "谷", "田", "林", "口", "门", "洲", "峰", "河", "塘", "坪", "桥", "浦", "泽",
    "原", "川", "岭", "关", "津", "滨", "台", "冈", "埠", "集", "寨", "屏",
];

/// Suffixes of county-level bodies.
const COUNTY_SUFFIX: [&str; 3] = ["县", "市", "区"];

/// The number of distinct body names [`body_name`] can make.
pub(super) const BODY_NAMES: usize = COUNTY_FIRST.len() * COUNTY_SECOND.len() * COUNTY_SUFFIX.len();

/// The `i`-th body name, distinct for every `i < BODY_NAMES`. The index is
/// spread over the tables so that neighbouring bodies do not share a prefix.
pub(super) fn body_name(i: usize) -> String {
    let first = COUNTY_FIRST.len();
    let second = COUNTY_SECOND.len();
    let a = i % first;
    let b = (i / first + a * 7) % second;
    let c = i / (first * second);
    // Same first/second pair would need the same `i / first`, and the
    // rotation by `a * 7` is a bijection for each `a`, so pairs are distinct.
    let mut name = String::from(COUNTY_FIRST[a]);
    if COUNTY_SECOND[b] != COUNTY_FIRST[a] {
        name.push_str(COUNTY_SECOND[b]);
    } else {
        name.push_str(COUNTY_SECOND[(b + 1) % second]);
        name.push_str(COUNTY_SECOND[b]);
    }
    name.push_str(COUNTY_SUFFIX[c % COUNTY_SUFFIX.len()]);
    name
}

/// How an organ's full name is built from the body's name.
#[derive(Debug, Clone, Copy)]
pub(super) enum Pattern {
    /// Body name, then the organ: 平江县财政局.
    Suffix(&'static str),
    /// A prefix, the body name, a suffix: 国家税务总局平江县税务局.
    Around(&'static str, &'static str),
}

/// Organs and institutions every county has, by how they are named.
pub(super) const ORGANS: [Pattern; 72] = [
    Pattern::Suffix("人民法院"),
    Pattern::Suffix("人民检察院"),
    Pattern::Suffix("财政局"),
    Pattern::Suffix("审计局"),
    Pattern::Around("国家税务总局", "税务局"),
    Pattern::Suffix("公安局"),
    Pattern::Suffix("教育局"),
    Pattern::Suffix("卫生健康局"),
    Pattern::Suffix("人民医院"),
    Pattern::Suffix("中医医院"),
    Pattern::Suffix("妇幼保健计划生育服务中心"),
    Pattern::Suffix("疾病预防控制中心"),
    Pattern::Suffix("自然资源局"),
    Pattern::Suffix("住房和城乡建设局"),
    Pattern::Suffix("交通运输局"),
    Pattern::Suffix("水利局"),
    Pattern::Suffix("农业农村局"),
    Pattern::Suffix("商务局"),
    Pattern::Suffix("文化旅游广电体育局"),
    Pattern::Suffix("应急管理局"),
    Pattern::Suffix("市场监督管理局"),
    Pattern::Suffix("统计局"),
    Pattern::Suffix("医疗保障局"),
    Pattern::Suffix("林业局"),
    Pattern::Suffix("气象局"),
    Pattern::Suffix("烟草专卖局（分公司）"),
    Pattern::Suffix("总工会"),
    Pattern::Around("共青团", "委员会"),
    Pattern::Suffix("妇女联合会"),
    Pattern::Suffix("残疾人联合会"),
    Pattern::Suffix("科学技术协会"),
    Pattern::Suffix("民政局"),
    Pattern::Suffix("司法局"),
    Pattern::Suffix("人力资源和社会保障局"),
    Pattern::Suffix("退役军人事务局"),
    Pattern::Suffix("生态环境保护综合执法大队"),
    Pattern::Around("国网湖南省电力有限公司", "供电分公司"),
    Pattern::Around("中国移动通信集团湖南有限公司", "分公司"),
    Pattern::Around("中国邮政集团有限公司", "分公司"),
    Pattern::Around("中国电信股份有限公司", "分公司"),
    Pattern::Around("中共", "委党校"),
    Pattern::Around("中共", "委宣传部"),
    Pattern::Around("中共", "委组织部"),
    Pattern::Around("中共", "纪律检查委员会（监察委员会）"),
    Pattern::Suffix("人大常委会机关"),
    Pattern::Around("政协", "委员会机关"),
    Pattern::Suffix("人民政府办公室"),
    Pattern::Suffix("融媒体中心"),
    Pattern::Suffix("图书馆"),
    Pattern::Suffix("文化馆"),
    Pattern::Suffix("博物馆"),
    Pattern::Suffix("档案馆"),
    Pattern::Suffix("农村商业银行股份有限公司"),
    Pattern::Around("中国工商银行股份有限公司", "支行"),
    Pattern::Around("中国农业银行股份有限公司", "支行"),
    Pattern::Around("中国银行股份有限公司", "支行"),
    Pattern::Around("中国建设银行股份有限公司", "支行"),
    Pattern::Suffix("第一中学"),
    Pattern::Suffix("第二中学"),
    Pattern::Suffix("第三中学"),
    Pattern::Suffix("实验中学"),
    Pattern::Suffix("实验小学"),
    Pattern::Suffix("职业中等专业学校"),
    Pattern::Suffix("城市管理和综合执法局"),
    Pattern::Suffix("发展和改革局"),
    Pattern::Suffix("工业和信息化局"),
    Pattern::Suffix("人民武装部"),
    Pattern::Suffix("消防救援大队"),
    Pattern::Suffix("公路建设养护中心"),
    Pattern::Suffix("不动产登记中心"),
    Pattern::Suffix("政务服务中心"),
    Pattern::Suffix("供水有限公司"),
];

/// Town names (the part before 镇); a county has up to this many towns.
const TOWNS: [&str; 40] = [
    "城关",
    "新市",
    "白沙",
    "黄金",
    "长寿",
    "梅仙",
    "三阳",
    "南江",
    "福寿",
    "大洲",
    "青山",
    "金井",
    "杨林",
    "麻塘",
    "荣家湾",
    "新墙",
    "筻口",
    "鹿角",
    "铁山",
    "毛田",
    "月田",
    "公田",
    "张谷英",
    "柏祥",
    "麻布",
    "步仙",
    "杨桥",
    "黄沙",
    "西塘",
    "桃林",
    "五里",
    "石门",
    "龙湾",
    "关王",
    "河市",
    "古培",
    "屈原",
    "营田",
    "归义",
    "长乐",
];

/// Ways a town's unit is named: its government, its health centre, its school.
const TOWN_UNITS: [&str; 4] = ["镇人民政府", "镇中心卫生院", "镇中心学校", "镇派出所"];

/// The number of distinct unit names a body can have.
pub(super) const UNITS_PER_BODY: usize = ORGANS.len() + TOWNS.len() * TOWN_UNITS.len();

/// The `k`-th unit name of a body, distinct for every `k < UNITS_PER_BODY`.
/// Organs come first, then the towns' units.
pub(super) fn unit_name(body: &str, k: usize) -> String {
    if let Some(pattern) = ORGANS.get(k) {
        return match pattern {
            Pattern::Suffix(s) => format!("{body}{s}"),
            Pattern::Around(p, s) => format!("{p}{body}{s}"),
        };
    }
    let t = k - ORGANS.len();
    let town = TOWNS[t % TOWNS.len()];
    let kind = TOWN_UNITS[t / TOWNS.len()];
    format!("{body}{town}{kind}")
}

/// Family names of contact people.
pub(super) const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];

/// Given names of contact people.
pub(super) const GIVEN_NAMES: [&str; 20] = [
    "建华", "丽", "伟", "芳", "志强", "静", "敏", "磊", "晓玲", "勇", "娟", "军", "婷", "涛", "蓉",
    "帆", "洁", "斌", "红梅", "海燕",
];

/// Problems reviewers write down, for units that did not simply pass.
pub(super) const PROBLEMS: [&str; 5] = [
    "创建档案不完整，年度创建工作计划和总结缺失；公益广告宣传阵地更新不及时。",
    "志愿服务岗设置流于形式，现场无人值守；道德讲堂开展次数未达到每季度不少于1次的要求。",
    "窗口服务群众反映办事等候时间较长，满意度问卷中对服务效率的评价偏低。",
    "文明创建工作领导小组长期未调整，创建工作无人统筹；单位环境卫生较差。",
    "机构改革后创建工作衔接不到位，原单位创建档案未完整移交，部分制度仍沿用改革前文件。",
];

/// What reviewers ask units to fix, paired with [`PROBLEMS`].
pub(super) const RECTIFICATIONS: [&str; 5] = [
    "补齐创建档案，建立专人管理制度；更新公益广告宣传内容，限期30日内整改到位。",
    "完善志愿服务岗值守制度并公示排班；按季度开展道德讲堂活动，整改情况书面报文明办。",
    "优化业务办理流程，增设高峰时段服务窗口，30日内报送整改报告。",
    "立即调整创建工作领导小组，明确分管领导和专人；落实环境卫生责任制，限期30日整改。",
    "30日内完成创建档案移交和制度修订，重新明确创建工作责任人。",
];

/// Reform remarks of the roster, each naming what changed.
pub(super) const REFORMS: [&str; 4] = [
    "2018年国税地税征管体制改革，原国家税务局、地方税务局合并组建",
    "2019年机构改革，整合相关职责重新组建",
    "2019年机构改革，更名并调整主管部门",
    "2019年机构改革，原两单位合并组建",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_body_name_is_distinct() {
        let names: BTreeSet<String> = (0..BODY_NAMES).map(body_name).collect();
        assert_eq!(names.len(), BODY_NAMES);
    }

    #[test]
    fn every_unit_name_of_a_body_is_distinct() {
        let names: BTreeSet<String> = (0..UNITS_PER_BODY)
            .map(|k| unit_name("平江县", k))
            .collect();
        assert_eq!(names.len(), UNITS_PER_BODY);
        assert!(names.contains("国家税务总局平江县税务局"));
        assert!(names.contains("平江县城关镇人民政府"));
    }
}
