//go:build ignore

// gen writes the demo catalogue (demo.json, items.csv, materials.csv) from
// the definitions below, so the three files can never drift apart; the
// package test checks that they parse to the same items. Run it from this
// directory after editing: go run gen.go
//
// The items are written for hallq: realistic in shape (names, materials,
// legal bases and fees as Chinese service guides state them) but not copied
// from any one centre's guide, and the online links point to an example
// domain.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"

	"hallq/queue/catalogue"
)

type M = catalogue.Material

func orig(name, notes string) M {
	return M{Name: name, Form: catalogue.Original, Copies: 1, Required: true, Notes: notes}
}
func cp(name string, n int, notes string) M {
	return M{Name: name, Form: catalogue.Copy, Copies: n, Required: true, Notes: notes}
}
func both(name string, n int, notes string) M {
	return M{Name: name, Form: catalogue.OriginalAndCopy, Copies: n, Required: true, Notes: notes}
}
func cond(m M, when string) M { m.Required = false; m.Condition = when; return m }
func en(m M, name string) M   { m.NameEN = name; return m }

var (
	idCard      = en(orig("居民身份证", "核验后当场退还；身份证在有效期内"), "Resident ID card")
	hukou       = en(orig("居民户口簿", "核验户主页及本人页"), "Household register")
	agentLetter = en(cond(orig("授权委托书", "委托人签名或盖章，写明委托事项和期限"), "委托他人代为办理的"), "Power of attorney")
	agentID     = en(cond(orig("受托人居民身份证", "核验后退还"), "委托他人代为办理的"), "Agent's ID card")
	photo       = en(M{Name: "近期免冠彩色证件照片", Form: catalogue.Original, Copies: 1, Required: true, Notes: "白色背景，可在大厅自助照相机现场拍摄"}, "Recent colour ID photo")
	bankCard    = en(cp("本人社会保障卡或银行卡", 1, "用于待遇发放，须为本人名下账户"), "Own social security card or bank card")
	licence     = en(cp("营业执照", 1, "加盖单位公章"), "Business licence")
	unitLetter  = en(cond(orig("单位介绍信", "加盖单位公章，注明经办人姓名"), "单位经办人代为办理的"), "Letter of introduction from the employer")
	applyForm   = func(name string) M {
		return en(orig(name, "大厅综合咨询台或网上办事大厅下载，现场填写亦可"), "Application form")
	}
	propertyCert = en(orig("不动产权证书或房屋所有权证", "核验原件，登记后收回旧证"), "Real estate title certificate")
)

type def struct {
	code, name, nameEN, dept, deptEN, cat string
	kind                                  catalogue.Kind
	joint                                 []string
	summary, elig, basis                  string
	steps                                 []string
	mats                                  []M
	legal, promised                       int
	fen                                   int64
	feeStd, feeBasis                      string
	svc, window                           string
	initials                              string // only where the computed initials read a polyphone wrongly
}

// keywords are the everyday names people type at the kiosk.
var keywords = map[string][]string{
	"RS001": {"养老保险", "居民养老"}, "RS004": {"失业金"}, "RS006": {"社保卡"}, "RS007": {"社保卡", "补卡"},
	"RS009": {"退休"}, "YB001": {"医保", "居民医保"}, "YB002": {"异地就医"}, "YB003": {"慢性病", "特殊病"},
	"YB004": {"医保报销"}, "HZ001": {"身份证", "换身份证"}, "HZ002": {"身份证", "丢失身份证"}, "HZ003": {"临时身份证"},
	"HZ005": {"落户", "迁户口"}, "HZ006": {"报户口", "新生儿落户"}, "HZ008": {"出生", "新生儿"},
	"BDC002": {"过户", "房产证"}, "BDC003": {"抵押"}, "BDC005": {"查房产", "房产查询"},
	"SJ001": {"营业执照", "注册公司", "开公司"}, "SJ002": {"个体户", "营业执照"}, "SJ004": {"注销公司"},
	"SJ005": {"餐饮许可"}, "SW001": {"个税", "退税"}, "SW002": {"发票"}, "SW004": {"契税"},
	"GJJ003": {"公积金", "租房提取"}, "GJJ005": {"公积金贷款"}, "GJJ007": {"公积金", "还贷提取"},
	"MZ001": {"结婚", "领证"}, "MZ003": {"低保"}, "CL001": {"残疾证"}, "CL002": {"残疾证"},
	"CRJ001": {"护照"}, "CRJ002": {"港澳通行证", "港澳签注"}, "CRJ003": {"港澳签注", "续签"}, "CRJ004": {"台湾通行证"},
}

const (
	rs  = "区人力资源和社会保障局"
	yb  = "区医疗保障局"
	gaH = "区公安分局户政管理大队"
	bdc = "区不动产登记中心"
	sj  = "区市场监督管理局"
	sw  = "国家税务总局本区税务局"
	gjj = "市住房公积金管理中心区管理部"
	mz  = "区民政局"
	cl  = "区残疾人联合会"
	crj = "区公安分局出入境管理大队"
)

var deptEN = map[string]string{
	rs: "District Human Resources and Social Security Bureau", yb: "District Healthcare Security Bureau",
	gaH: "Household Registration Division, District Public Security Sub-bureau", bdc: "District Real Estate Registration Centre",
	sj: "District Administration for Market Regulation", sw: "District Tax Bureau, State Taxation Administration",
	gjj: "District Office, Municipal Housing Provident Fund Centre", mz: "District Civil Affairs Bureau",
	cl: "District Disabled Persons' Federation", crj: "Exit-Entry Administration, District Public Security Sub-bureau",
}

var stdSteps = []string{"申请人到大厅对应窗口提交申请材料", "窗口工作人员核验材料，材料齐全的当场受理，不齐全的一次性告知需补正的全部材料", "业务科室审核", "作出决定并办结", "通过窗口领取、邮寄送达或短信通知办理结果"}
var quickSteps = []string{"申请人到大厅对应窗口提交申请材料", "窗口工作人员核验身份和材料", "当场办结并交付结果"}

const (
	sibLaw   = "《中华人民共和国社会保险法》"
	basisID  = "《中华人民共和国居民身份证法》第十一条"
	idFeeBas = "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"
	bdcLaw   = "《不动产登记暂行条例》《不动产登记暂行条例实施细则》《中华人民共和国民法典》物权编"
	bdcFee   = "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"
	regLaw   = "《中华人民共和国市场主体登记管理条例》及其实施细则"
	taxLaw   = "《中华人民共和国税收征收管理法》"
	hpfLaw   = "《住房公积金管理条例》"
	aidLaw   = "《社会救助暂行办法》"
	disLaw   = "《中华人民共和国残疾人保障法》"
	ppFee    = "《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格规〔2019〕914号）"
)

var defs = []def{
	// ── A 人社 ──────────────────────────────────────────────
	{code: "RS001", name: "城乡居民基本养老保险参保登记", nameEN: "Enrolment in basic pension insurance for urban and rural residents", dept: rs, cat: "公共服务", kind: catalogue.Immediate,
		summary: "为未参加职工基本养老保险的城乡居民办理基本养老保险参保登记，登记后按年选择档次缴费。",
		elig:    "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可在户籍地参保。",
		basis:   sibLaw + "第二十条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
		steps:   quickSteps, mats: []M{idCard, hukou, agentLetter, agentID}, legal: 5, svc: "A", window: "A区1-4号窗口"},
	{code: "RS002", name: "城乡居民基本养老保险待遇申领", nameEN: "Claiming the urban and rural residents' pension", dept: rs, cat: "行政给付", kind: catalogue.Promised,
		summary: "参保人达到领取年龄且符合条件的，按月领取城乡居民基本养老保险待遇。",
		elig:    "年满60周岁、累计缴费满15年且未领取国家规定的基本养老保障待遇的城乡居民养老保险参保人。",
		basis:   sibLaw + "第二十一条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
		steps:   stdSteps, mats: []M{idCard, hukou, bankCard, applyForm("《城乡居民基本养老保险待遇申领表》"), agentLetter, agentID}, legal: 20, promised: 10, svc: "A", window: "A区1-4号窗口"},
	{code: "RS003", name: "职工基本养老保险关系转移接续", nameEN: "Transfer of employees' basic pension insurance", dept: rs, cat: "公共服务", kind: catalogue.Promised,
		summary: "参保职工跨省、跨统筹地区就业的，办理基本养老保险关系及个人账户储存额的转移接续。",
		elig:    "在转出地参加职工基本养老保险并已在转入地就业参保的人员。",
		basis:   sibLaw + "第十九条；《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）",
		steps:   []string{"参保人向新就业地社保经办机构提出转移申请", "转入地发出联系函", "转出地办理转出手续并转移基金", "转入地接收并记录参保信息", "告知参保人办理结果"},
		mats:    []M{idCard, en(orig("《基本养老保险参保缴费凭证》", "由原参保地社保经办机构开具；可在国家社会保险公共服务平台网上开具"), "Pension contribution certificate"), applyForm("《基本养老保险关系转移接续申请表》")},
		legal:   45, promised: 15, svc: "A", window: "A区1-4号窗口"},
	{code: "RS004", name: "失业保险金申领", nameEN: "Claiming unemployment insurance benefits", dept: rs, cat: "行政给付", kind: catalogue.Promised,
		summary: "失业人员符合条件的，按月领取失业保险金，领取期间同时享受基本医疗保险待遇。",
		elig:    "失业前用人单位和本人已缴纳失业保险费满1年、非因本人意愿中断就业、已办理失业登记并有求职要求的人员。",
		basis:   sibLaw + "第四十五条；《失业保险条例》第十四条",
		steps:   stdSteps, mats: []M{idCard, en(cp("解除或终止劳动合同的证明", 1, "用人单位出具，写明解除原因"), "Proof of termination of the labour contract"), bankCard},
		legal: 10, promised: 5, svc: "A", window: "A区1-4号窗口"},
	{code: "RS005", name: "工伤认定申请", nameEN: "Application for recognition of a work-related injury", dept: rs, cat: "行政确认", kind: catalogue.Promised,
		summary: "职工发生事故伤害或者被诊断、鉴定为职业病的，对是否属于工伤作出认定。",
		elig:    "受伤害职工所在单位；单位未在规定时限内申请的，工伤职工或者其近亲属、工会组织可在事故伤害发生之日起1年内提出。",
		basis:   "《工伤保险条例》第十七条、第二十条",
		steps:   []string{"提交工伤认定申请", "窗口审查材料并受理", "调查核实（必要时现场调查）", "作出工伤认定决定", "送达认定决定书"},
		mats: []M{applyForm("《工伤认定申请表》"), en(cp("劳动关系证明材料", 1, "劳动合同、工资发放记录等"), "Proof of employment"),
			en(both("医疗诊断证明或职业病诊断证明书", 1, "初次诊断的医疗机构出具"), "Medical diagnosis"), idCard,
			en(cond(cp("事故认定书或公安机关证明", 1, ""), "因交通事故或者暴力伤害申请的"), "Accident report")},
		legal: 60, promised: 30, svc: "A", window: "A区5号窗口"},
	{code: "RS006", name: "社会保障卡申领", nameEN: "Applying for a social security card", dept: rs, cat: "公共服务", kind: catalogue.Immediate,
		summary: "为参保人员申领第三代社会保障卡，大厅即时制卡，当场领取。",
		elig:    "在本市参加社会保险的人员，或本市户籍居民。",
		basis:   sibLaw + "第五十八条；《社会保障卡管理办法》",
		steps:   []string{"窗口核验身份", "现场采集照片", "即时制卡并激活", "当场领卡"}, mats: []M{idCard, agentLetter, agentID},
		legal: 5, svc: "A", window: "A区6号窗口（即时制卡）", initials: "shbzksl"},
	{code: "RS007", name: "社会保障卡挂失与补换", nameEN: "Reporting loss of and replacing a social security card", dept: rs, cat: "公共服务", kind: catalogue.Immediate,
		summary: "社会保障卡遗失、损坏或信息变更的，办理挂失、解挂及补换卡。",
		elig:    "本人持有的社会保障卡遗失、损坏或需变更信息的持卡人。",
		basis:   "《社会保障卡管理办法》", steps: []string{"窗口核验身份并办理挂失", "采集照片", "即时补制新卡并激活", "当场领卡"},
		mats:  []M{idCard, en(cond(orig("原社会保障卡", "损坏换卡时交回"), "卡片损坏或信息变更换卡的"), "Old social security card")},
		legal: 5, svc: "A", window: "A区6号窗口（即时制卡）"},
	{code: "RS008", name: "灵活就业人员参加职工基本养老保险登记", nameEN: "Pension enrolment for flexible workers", dept: rs, cat: "公共服务", kind: catalogue.Immediate,
		summary: "无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员以及其他灵活就业人员，以个人身份参加职工基本养老保险。",
		elig:    "法定劳动年龄内、未在用人单位参保的灵活就业人员；户籍不受限制的按本市规定执行。",
		basis:   sibLaw + "第十条", steps: quickSteps, mats: []M{idCard, applyForm("《灵活就业人员参保登记表》")},
		legal: 5, svc: "A", window: "A区1-4号窗口"},
	{code: "RS009", name: "职工退休“一件事”", nameEN: "Retirement, all in one visit", dept: rs, cat: "公共服务", kind: catalogue.Joint, joint: []string{yb, gjj},
		summary: "一次提交材料，联办职工退休审批、养老保险待遇核定、医疗保险退休人员待遇变更和住房公积金退休提取。",
		elig:    "达到法定退休年龄并符合按月领取基本养老金条件的参保职工或其所在单位。",
		basis:   sibLaw + "第十六条；《国务院关于渐进式延迟法定退休年龄的办法》；" + hpfLaw + "第二十四条",
		steps:   []string{"综合窗口一次受理", "人社部门审核退休条件并核定养老金", "医保部门变更为退休人员待遇", "公积金中心办理退休提取", "短信告知办理结果"},
		mats:    []M{idCard, bankCard, en(orig("本人档案", "单位办理的由单位提交；存档机构出具"), "Personnel file"), en(cond(orig("提前退休相关证明", "特殊工种、病退等情形"), "申请提前退休的"), "Proof of early retirement eligibility"), unitLetter},
		legal:   20, promised: 10, svc: "A", window: "A区7号窗口（联办）"},

	// ── B 医保 ──────────────────────────────────────────────
	{code: "YB001", name: "城乡居民基本医疗保险参保登记", nameEN: "Enrolment in basic medical insurance for urban and rural residents", dept: yb, cat: "公共服务", kind: catalogue.Immediate,
		summary: "为未参加职工基本医疗保险的城乡居民（含学生、儿童、新生儿）办理基本医疗保险参保登记。",
		elig:    "本市户籍或持本市居住证、未参加职工基本医疗保险的城乡居民。", basis: sibLaw + "第二十五条",
		steps: quickSteps, mats: []M{idCard, en(cond(orig("居民户口簿或出生医学证明", "未办理身份证的未成年人提供"), "未成年人参保的"), "Household register or birth certificate"), en(cond(orig("居住证", ""), "非本市户籍人员参保的"), "Residence permit")},
		legal: 5, svc: "B", window: "B区1-3号窗口"},
	{code: "YB002", name: "跨省异地就医直接结算备案", nameEN: "Registration for direct settlement of medical bills in another province", dept: yb, cat: "公共服务", kind: catalogue.Immediate,
		summary: "参保人员异地长期居住、工作或临时外出就医的，办理备案后在就医地联网定点医疗机构直接结算。",
		elig:    "参加本市基本医疗保险的异地安置退休人员、异地长期居住人员、常驻异地工作人员及临时外出就医人员。",
		basis:   "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
		steps:   quickSteps, mats: []M{idCard, applyForm("《跨省异地就医登记备案表》"), en(cond(orig("个人承诺书", "承诺在异地长期居住"), "以异地长期居住备案的"), "Personal undertaking")},
		legal: 5, svc: "B", window: "B区1-3号窗口"},
	{code: "YB003", name: "门诊慢特病待遇认定", nameEN: "Recognition of chronic and special diseases for outpatient benefits", dept: yb, cat: "行政确认", kind: catalogue.Promised,
		summary: "参保人员患有规定的门诊慢性病、特殊疾病的，经认定后享受门诊慢特病待遇。",
		elig:    "参加本市基本医疗保险、患有本市门诊慢特病病种目录所列疾病的参保人员。",
		basis:   sibLaw + "第二十八条；《医疗保障基金使用监督管理条例》",
		steps:   []string{"提交认定申请", "窗口受理", "组织专家评审", "公布认定结果并开通待遇"},
		mats:    []M{idCard, en(both("近两年二级及以上医院相关病历", 1, "含门诊病历、出院记录、检查报告"), "Hospital medical records"), en(orig("《门诊慢特病申请表》", "由经治医师填写并签字，医院盖章"), "Chronic disease application form")},
		legal:   30, promised: 15, svc: "B", window: "B区4号窗口"},
	{code: "YB004", name: "医疗费用手工（零星）报销", nameEN: "Manual reimbursement of medical expenses", dept: yb, cat: "行政给付", kind: catalogue.Promised,
		summary: "参保人员因急诊、异地就医未直接结算等原因全额垫付医疗费用的，按规定申请报销。",
		elig:    "参加本市基本医疗保险、在就医时未能直接结算的参保人员。",
		basis:   sibLaw + "第二十九条",
		steps:   stdSteps,
		mats: []M{idCard, en(orig("医疗收费票据", "须为原件；遗失的由医院出具加盖公章的复印件"), "Medical invoices"), en(cp("费用明细清单", 1, "医院盖章"), "Itemised bill"),
			en(cp("出院记录或门诊病历", 1, ""), "Discharge record or outpatient record"), bankCard, agentLetter, agentID},
		legal: 30, promised: 20, svc: "B", window: "B区4号窗口"},
	{code: "YB005", name: "生育医疗费用及生育津贴申领", nameEN: "Claiming maternity medical expenses and allowance", dept: yb, cat: "行政给付", kind: catalogue.Promised,
		summary: "参加职工基本医疗保险（生育保险）的职工生育或实施计划生育手术的，申领生育医疗费用和生育津贴。",
		elig:    "用人单位已为其缴纳生育保险费的职工及未就业配偶。",
		basis:   sibLaw + "第五十四条、第五十六条",
		steps:   stdSteps,
		mats:    []M{idCard, en(cp("出生医学证明", 1, ""), "Birth certificate of the child"), en(cp("出院记录", 1, "医院盖章"), "Discharge record"), en(cond(cp("结婚证", 1, ""), "申请生育津贴的"), "Marriage certificate")},
		legal:   20, promised: 10, svc: "B", window: "B区1-3号窗口"},
	{code: "YB006", name: "基本医疗保险关系转移接续", nameEN: "Transfer of basic medical insurance", dept: yb, cat: "公共服务", kind: catalogue.Promised,
		summary: "参保人员跨统筹地区流动就业的，转移接续基本医疗保险关系和个人账户。",
		elig:    "在原参保地中止参保并在本市参保的人员。",
		basis:   sibLaw + "第三十二条；《基本医疗保障关系转移接续暂行办法》",
		steps:   []string{"向转入地医保经办机构提出申请", "转入地发出联系函", "转出地转出个人账户及参保信息", "转入地接续并合并计算缴费年限"},
		mats:    []M{idCard, en(orig("《基本医疗保障参保（合）凭证》", "原参保地医保经办机构出具，也可网上开具"), "Medical insurance contribution certificate")},
		legal:   15, promised: 10, svc: "B", window: "B区1-3号窗口"},
	{code: "YB007", name: "医疗保险参保缴费证明打印", nameEN: "Printing proof of medical insurance contributions", dept: yb, cat: "公共服务", kind: catalogue.Immediate,
		summary: "打印本人医疗保险参保缴费记录，用于购房、入学、积分落户等。",
		elig:    "参加本市基本医疗保险的人员。", basis: sibLaw + "第七十四条",
		steps: []string{"核验身份", "当场打印盖章"}, mats: []M{idCard}, svc: "B", window: "B区1-3号窗口或24小时自助区"},

	// ── C 户政 ──────────────────────────────────────────────
	{code: "HZ001", name: "居民身份证换领", nameEN: "Renewal of the resident ID card", dept: gaH, cat: "行政许可", kind: catalogue.Promised,
		summary: "居民身份证有效期满、登记项目变更或证件严重损坏不能辨认的，申请换领新证。",
		elig:    "本区常住户口的居民；跨省通办的按规定在本区受理。", basis: basisID,
		steps: []string{"窗口核验户籍信息", "现场采集人像和指纹", "缴纳工本费", "制证", "领取新证（可选择邮寄）"},
		mats:  []M{en(orig("原居民身份证", "换领新证时交回"), "Old resident ID card"), hukou, en(cond(photo, "未在窗口现场采集人像的"), "Recent colour ID photo")},
		legal: 60, promised: 15, fen: 2000, feeStd: "工本费20元/证", feeBasis: idFeeBas, svc: "C", window: "C区1-3号窗口"},
	{code: "HZ002", name: "居民身份证补领", nameEN: "Replacement of a lost resident ID card", dept: gaH, cat: "行政许可", kind: catalogue.Promised,
		summary: "居民身份证遗失或被盗的，申请补领新证；补领的同时原证件作废。",
		elig:    "本区常住户口的居民；跨省通办的按规定在本区受理。", basis: basisID,
		steps: []string{"窗口核验户籍信息", "现场采集人像和指纹", "缴纳工本费", "制证", "领取新证（可选择邮寄）"},
		mats:  []M{hukou, en(cond(cp("遗失声明", 1, ""), "本市规定需要登报声明的"), "Loss statement")},
		legal: 60, promised: 15, fen: 2000, feeStd: "工本费20元/证", feeBasis: idFeeBas, svc: "C", window: "C区1-3号窗口"},
	{code: "HZ003", name: "临时居民身份证办理", nameEN: "Issuing a temporary resident ID card", dept: gaH, cat: "行政许可", kind: catalogue.Immediate,
		summary: "在申领、换领、补领居民身份证期间急需使用身份证的，可申请临时居民身份证，有效期3个月。",
		elig:    "已申请领取、换领或补领居民身份证且在领证前急需使用的居民。", basis: basisID + "；《临时居民身份证管理办法》",
		steps: []string{"窗口核验身份", "采集照片", "缴纳工本费", "当场制发"},
		mats:  []M{hukou, en(orig("居民身份证受理回执", ""), "Receipt of the ID card application")},
		legal: 3, fen: 1000, feeStd: "工本费10元/证", feeBasis: idFeeBas, svc: "C", window: "C区1-3号窗口"},
	{code: "HZ004", name: "居住证申领", nameEN: "Applying for a residence permit", dept: gaH, cat: "行政许可", kind: catalogue.Promised,
		summary: "离开常住户口所在地到本市居住半年以上，符合条件的可申领居住证，享受本市基本公共服务。",
		elig:    "在本市居住半年以上，有合法稳定就业、合法稳定住所或连续就读条件之一的非本市户籍人员。",
		basis:   "《居住证暂行条例》第九条、第十条",
		steps:   stdSteps,
		mats:    []M{idCard, photo, en(cp("合法稳定住所证明", 1, "房屋租赁合同、房屋产权证明等"), "Proof of residence"), en(cond(cp("就业或就读证明", 1, "劳动合同或学校证明"), "以就业或就读申领的"), "Proof of employment or study")},
		legal:   15, promised: 10, feeStd: "首次申领免费", svc: "C", window: "C区4号窗口"},
	{code: "HZ005", name: "户口迁入（投靠亲属）", nameEN: "Moving household registration in to join relatives", dept: gaH, cat: "行政许可", kind: catalogue.Promised,
		summary: "夫妻投靠、子女投靠父母、父母投靠子女等符合本市落户政策的，办理户口迁入。",
		elig:    "符合本市投靠落户条件的人员。", basis: "《中华人民共和国户口登记条例》第十三条",
		steps: stdSteps,
		mats: []M{idCard, hukou, en(both("亲属关系证明", 1, "结婚证、出生医学证明等"), "Proof of relationship"), en(orig("被投靠人居民户口簿", "户主同意的须签署意见"), "Household register of the relative joined"),
			en(cond(orig("房屋产权证明或户主同意入户证明", ""), "投靠至他人户内的"), "Title deed or consent of the householder")},
		legal: 20, promised: 10, svc: "C", window: "C区4号窗口"},
	{code: "HZ006", name: "出生登记", nameEN: "Birth registration", dept: gaH, cat: "行政确认", kind: catalogue.Immediate,
		summary: "为新生儿办理出生户口登记。",
		elig:    "父母一方为本区常住户口的新生儿。", basis: "《中华人民共和国户口登记条例》第七条",
		steps: quickSteps, mats: []M{en(orig("出生医学证明", ""), "Medical birth certificate"), en(orig("父母双方居民身份证", ""), "Parents' ID cards"), en(orig("父母双方居民户口簿", ""), "Parents' household registers"), en(cond(orig("结婚证", ""), "父母已婚的"), "Marriage certificate")},
		legal: 3, svc: "C", window: "C区1-3号窗口"},
	{code: "HZ007", name: "户籍证明开具", nameEN: "Certificate of household registration", dept: gaH, cat: "公共服务", kind: catalogue.Immediate,
		summary: "开具户籍信息证明、注销户口证明等户籍类证明。",
		elig:    "本区户籍居民或其近亲属（注销户口证明）。", basis: "《中华人民共和国户口登记条例》",
		steps: quickSteps, mats: []M{idCard, en(cond(cp("亲属关系证明", 1, ""), "近亲属代为申请注销户口证明的"), "Proof of relationship")},
		svc: "C", window: "C区1-3号窗口"},
	{code: "HZ008", name: "新生儿出生“一件事”", nameEN: "Birth of a child, all in one visit", dept: gaH, cat: "公共服务", kind: catalogue.Joint, joint: []string{yb, rs, "区卫生健康局"},
		summary: "一次提交材料，联办出生医学证明核验、出生登记、城乡居民医保参保、社会保障卡申领和预防接种证。",
		elig:    "父母一方为本区常住户口的新生儿。", basis: "《中华人民共和国户口登记条例》第七条；" + sibLaw + "第二十五条",
		steps: []string{"综合窗口一次受理", "公安办理出生登记", "医保办理参保登记", "人社制发社会保障卡", "短信告知全部结果"},
		mats:  []M{en(orig("出生医学证明", ""), "Medical birth certificate"), en(orig("父母双方居民身份证", ""), "Parents' ID cards"), en(orig("父母双方居民户口簿", ""), "Parents' household registers"), en(cond(orig("结婚证", ""), "父母已婚的"), "Marriage certificate"), en(cp("新生儿免冠彩色照片电子版", 1, "用于制作社会保障卡"), "Photo of the baby (digital)")},
		legal: 15, promised: 5, svc: "C", window: "C区5号窗口（联办）"},

	// ── D 不动产 ─────────────────────────────────────────────
	{code: "BDC001", name: "国有建设用地使用权及房屋所有权首次登记", nameEN: "First registration of state-owned land use right and house ownership", dept: bdc, cat: "行政确认", kind: catalogue.Promised,
		summary: "新建房屋竣工后，开发企业或自建房屋的权利人申请房屋所有权首次登记。",
		elig:    "依法取得国有建设用地使用权并建成房屋的权利人。", basis: bdcLaw,
		steps: stdSteps,
		mats: []M{applyForm("《不动产登记申请书》"), idCard, en(orig("国有建设用地使用权不动产权证书", ""), "Land use right certificate"), en(both("建设工程规划核实意见", 1, ""), "Planning verification"),
			en(both("房屋竣工验收备案材料", 1, ""), "Completion acceptance record"), en(orig("不动产测绘报告（房屋面积测算成果）", "有资质的测绘机构出具"), "Survey report")},
		legal: 30, promised: 10, fen: 8000, feeStd: "住宅类不动产登记费80元/件（含第一本证书工本费），非住宅类550元/件", feeBasis: bdcFee, svc: "D", window: "D区1-4号窗口"},
	{code: "BDC002", name: "二手房转移登记（含契税申报）", nameEN: "Transfer registration of a second-hand home, with deed tax", dept: bdc, cat: "行政确认", kind: catalogue.Joint, joint: []string{sw},
		summary: "存量房买卖的，一窗受理不动产转移登记和契税、个人所得税等税费申报，一次缴费、一次领证。",
		elig:    "依法办理存量房买卖的买卖双方。", basis: bdcLaw + "；《中华人民共和国契税法》",
		steps: []string{"买卖双方到综合窗口一次提交材料", "税务部门核定计税价格并申报税费", "缴纳税费和登记费", "不动产登记机构审核登簿", "领取不动产权证书"},
		mats: []M{applyForm("《不动产登记申请书》"), en(orig("买卖双方居民身份证", ""), "ID cards of buyer and seller"), propertyCert, en(orig("存量房买卖合同", "网签合同"), "Sales contract"),
			en(cond(orig("婚姻状况证明", "结婚证或离婚证、离婚协议"), "出卖人或买受人已婚、离异的"), "Proof of marital status"), agentLetter, agentID},
		legal: 30, promised: 5, fen: 8000, feeStd: "住宅类不动产登记费80元/件（含第一本证书工本费），每增加一本证书加收工本费10元", feeBasis: bdcFee, svc: "D", window: "D区5-6号窗口（联办）"},
	{code: "BDC003", name: "不动产抵押权首次登记", nameEN: "First registration of a mortgage on real estate", dept: bdc, cat: "行政确认", kind: catalogue.Promised,
		summary: "以不动产设定抵押的，抵押权人和抵押人共同申请抵押权登记。",
		elig:    "抵押合同的当事人（抵押权人与抵押人）。", basis: bdcLaw,
		steps: stdSteps,
		mats:  []M{applyForm("《不动产登记申请书》"), idCard, propertyCert, en(orig("抵押合同及主债权合同", ""), "Mortgage and loan contracts"), en(cond(cp("金融机构营业执照及授权委托书", 1, ""), "抵押权人为金融机构的"), "Bank's licence and authorisation")},
		legal: 30, promised: 1, fen: 8000, feeStd: "住宅类不动产登记费80元/件", feeBasis: bdcFee, svc: "D", window: "D区1-4号窗口"},
	{code: "BDC004", name: "不动产抵押权注销登记", nameEN: "Cancellation of a mortgage registration", dept: bdc, cat: "行政确认", kind: catalogue.Immediate,
		summary: "主债权消灭、抵押权已实现或抵押权人放弃抵押权的，申请注销抵押权登记。",
		elig:    "抵押权人，或抵押权人与抵押人共同申请。", basis: bdcLaw,
		steps: quickSteps, mats: []M{applyForm("《不动产登记申请书》"), idCard, en(orig("不动产登记证明（抵押）", ""), "Mortgage registration certificate"), en(orig("抵押权消灭的证明材料", "如银行出具的结清证明"), "Proof that the mortgage has ended")},
		legal: 30, feeStd: "注销登记不收取不动产登记费", feeBasis: bdcFee, svc: "D", window: "D区1-4号窗口"},
	{code: "BDC005", name: "不动产登记资料查询", nameEN: "Search of real estate registration records", dept: bdc, cat: "公共服务", kind: catalogue.Immediate,
		summary: "权利人、利害关系人查询、复制不动产登记资料；可在24小时自助区查询打印本人名下不动产信息。",
		elig:    "不动产权利人、利害关系人及有关国家机关。", basis: "《不动产登记资料查询暂行办法》",
		steps: []string{"填写查询申请", "窗口核验身份", "当场出具查询结果"}, mats: []M{idCard, applyForm("《不动产登记资料查询申请书》"), en(cond(cp("利害关系证明材料", 1, ""), "利害关系人查询的"), "Proof of interest")},
		svc: "D", window: "D区7号窗口或24小时自助区"},
	{code: "BDC006", name: "不动产变更登记（权利人姓名或身份证号码变更）", nameEN: "Change registration: name or ID number of the right holder", dept: bdc, cat: "行政确认", kind: catalogue.Promised,
		summary: "权利人的姓名、名称或者身份证明类型、号码发生变化的，申请变更登记。",
		elig:    "不动产权利人。", basis: bdcLaw,
		steps: stdSteps,
		mats:  []M{applyForm("《不动产登记申请书》"), idCard, propertyCert, en(orig("变更证明", "公安机关出具的姓名或身份证号码变更证明"), "Proof of the change")},
		legal: 30, promised: 3, feeStd: "单独申请权利人姓名、身份证号码变更登记不收取登记费", feeBasis: bdcFee, svc: "D", window: "D区1-4号窗口"},

	// ── E 市场监管 ────────────────────────────────────────────
	{code: "SJ001", name: "企业开办“一件事”", nameEN: "Starting a business, all in one visit", dept: sj, cat: "行政许可", kind: catalogue.Joint, joint: []string{"区公安分局", sw, rs},
		summary: "一次提交材料，联办企业设立登记、公章刻制、发票申领、员工参保登记和住房公积金缴存登记，免费发放印章。",
		elig:    "拟在本区设立企业的投资人或其委托的代理人。", basis: regLaw + "；《中华人民共和国公司法》",
		steps: []string{"企业开办专区一次受理", "市场监管部门核发营业执照", "公安部门备案并刻制公章", "税务部门发放发票或税控设备", "人社、公积金部门办理参保缴存登记"},
		mats: []M{applyForm("《企业设立登记申请书》"), en(orig("公司章程", "全体股东签署"), "Articles of association"), en(cp("股东主体资格证明", 1, "自然人股东提供身份证复印件"), "Shareholder identity documents"),
			en(cp("住所使用证明", 1, "房屋产权证明或租赁合同"), "Proof of business premises"), en(orig("法定代表人、董事、监事和经理的任职文件", ""), "Appointment documents")},
		legal: 3, promised: 1, feeStd: "免费，印章由政府出资免费刻制", svc: "E", window: "E区企业开办专区"},
	{code: "SJ002", name: "个体工商户设立登记", nameEN: "Registration of an individual business", dept: sj, cat: "行政许可", kind: catalogue.Immediate,
		summary: "有经营能力的自然人从事工商业经营的，办理个体工商户设立登记，领取营业执照。",
		elig:    "有经营能力的自然人。", basis: regLaw + "；《促进个体工商户发展条例》",
		steps: quickSteps, mats: []M{applyForm("《个体工商户登记（备案）申请书》"), idCard, en(cp("经营场所使用证明", 1, "房屋产权证明或租赁合同"), "Proof of premises")},
		legal: 3, svc: "E", window: "E区1-3号窗口"},
	{code: "SJ003", name: "有限责任公司变更登记", nameEN: "Change registration of a limited liability company", dept: sj, cat: "行政许可", kind: catalogue.Promised,
		summary: "公司名称、住所、法定代表人、注册资本、经营范围、股东等登记事项发生变更的，申请变更登记。",
		elig:    "已登记的有限责任公司。", basis: regLaw,
		steps: stdSteps,
		mats:  []M{applyForm("《公司变更登记申请书》"), en(orig("股东会决议或决定", ""), "Shareholders' resolution"), en(orig("修改后的公司章程或章程修正案", ""), "Amended articles"), licence},
		legal: 3, promised: 1, svc: "E", window: "E区1-3号窗口"},
	{code: "SJ004", name: "企业简易注销登记", nameEN: "Simplified deregistration of an enterprise", dept: sj, cat: "行政许可", kind: catalogue.Promised,
		summary: "未发生债权债务或已将债权债务清偿完结的企业，经20日公示无异议后申请简易注销。",
		elig:    "领取营业执照后未开展经营活动，或申请注销登记前未发生债权债务、已清偿完结的企业。", basis: regLaw + "第三十三条",
		steps: []string{"国家企业信用信息公示系统公示20日", "公示期满无异议提交注销申请", "审核", "作出准予注销决定"},
		mats:  []M{applyForm("《企业注销登记申请书》"), en(orig("全体投资人承诺书", ""), "Undertaking of all investors"), licence},
		legal: 3, promised: 1, svc: "E", window: "E区1-3号窗口"},
	{code: "SJ005", name: "食品经营许可（新办）", nameEN: "Food business licence (new)", dept: sj, cat: "行政许可", kind: catalogue.Promised,
		summary: "从事食品销售和餐饮服务的，取得食品经营许可证；仅销售预包装食品的实行备案。",
		elig:    "已取得营业执照、具有与经营的食品品种和数量相适应的场所、设备和人员的经营者。",
		basis:   "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
		steps:   []string{"提交申请", "窗口受理", "现场核查", "作出许可决定", "发放食品经营许可证"},
		mats: []M{applyForm("《食品经营许可申请书》"), licence, en(cp("与食品经营相适应的主要设备设施布局、操作流程等文件", 1, ""), "Layout of premises and equipment"),
			en(cp("食品安全自查、从业人员健康管理等食品安全管理制度", 1, ""), "Food safety rules"), en(cond(cp("从业人员健康证明", 1, ""), "从事接触直接入口食品工作的"), "Health certificates")},
		legal: 20, promised: 5, svc: "E", window: "E区4号窗口"},
	{code: "SJ006", name: "营业执照遗失补领", nameEN: "Replacement of a lost business licence", dept: sj, cat: "行政许可", kind: catalogue.Promised,
		summary: "营业执照遗失或毁坏的，在国家企业信用信息公示系统发布作废声明后申请补领。",
		elig:    "营业执照遗失或毁坏的市场主体。", basis: regLaw,
		steps: stdSteps, mats: []M{applyForm("《营业执照补领申请书》"), en(orig("法定代表人签署的补领申请", ""), "Signed request"), idCard},
		legal: 3, promised: 1, svc: "E", window: "E区1-3号窗口"},
	{code: "SJ007", name: "仅销售预包装食品备案", nameEN: "Filing for selling pre-packaged food only", dept: sj, cat: "行政备案", kind: catalogue.Immediate,
		summary: "仅销售预包装食品的，向所在地市场监管部门备案，无需取得食品经营许可证。",
		elig:    "已取得营业执照、仅销售预包装食品的经营者。", basis: "《中华人民共和国食品安全法》第三十五条",
		steps: quickSteps, mats: []M{applyForm("《仅销售预包装食品备案信息采集表》"), licence, idCard},
		legal: 0, svc: "E", window: "E区4号窗口"},

	// ── F 税务 ──────────────────────────────────────────────
	{code: "SW001", name: "个人所得税综合所得年度汇算代办", nameEN: "Annual individual income tax reconciliation (assisted)", dept: sw, cat: "行政征收", kind: catalogue.Immediate,
		summary: "纳税人取得综合所得需要办理年度汇算的，窗口辅导或代为办理申报，退税或补税。",
		elig:    "在中国境内有住所、取得综合所得的居民个人。", basis: "《中华人民共和国个人所得税法》第十条",
		steps: quickSteps, mats: []M{idCard, en(cond(cp("专项附加扣除相关资料", 1, "子女教育、住房贷款利息、赡养老人等"), "申报专项附加扣除的"), "Proof of special deductions"), en(cond(cp("本人银行卡", 1, "须为一类账户"), "申请退税的"), "Bank card for refund")},
		svc: "F", window: "F区1-3号窗口"},
	{code: "SW002", name: "发票票种核定及领用", nameEN: "Approval and collection of invoices", dept: sw, cat: "行政许可", kind: catalogue.Promised,
		summary: "纳税人需要领用发票的，申请核定发票种类、数量和开票限额，领用数电发票额度或纸质发票。",
		elig:    "已办理涉税信息确认的纳税人。", basis: "《中华人民共和国发票管理办法》第十五条",
		steps: stdSteps, mats: []M{idCard, en(cond(orig("发票专用章印模", ""), "领用纸质发票的"), "Invoice seal impression")},
		legal: 5, promised: 1, svc: "F", window: "F区1-3号窗口"},
	{code: "SW003", name: "开具税收完税证明", nameEN: "Issuing a tax payment certificate", dept: sw, cat: "公共服务", kind: catalogue.Immediate,
		summary: "纳税人已缴纳税款的，开具税收完税证明，可在电子税务局或自助终端打印。",
		elig:    "已缴纳税款的纳税人。", basis: taxLaw + "第三十四条",
		steps: []string{"窗口核验身份", "当场开具"}, mats: []M{idCard}, svc: "F", window: "F区1-3号窗口或24小时自助区"},
	{code: "SW004", name: "契税申报缴纳", nameEN: "Deed tax return and payment", dept: sw, cat: "行政征收", kind: catalogue.Immediate,
		summary: "承受土地、房屋权属的单位和个人申报缴纳契税。",
		elig:    "承受土地、房屋权属的单位和个人。", basis: "《中华人民共和国契税法》第九条",
		steps: quickSteps, mats: []M{idCard, en(cp("房屋买卖合同或权属转移合同", 1, ""), "Transfer contract"), en(cond(cp("享受税收优惠的证明", 1, ""), "申请减免的"), "Proof of tax relief")},
		legal: 0, svc: "F", window: "F区4号窗口（不动产交易）"},
	{code: "SW005", name: "跨区域涉税事项报告", nameEN: "Report of cross-region tax matters", dept: sw, cat: "其他行政权力", kind: catalogue.Immediate,
		summary: "纳税人跨省临时从事生产经营活动的，向机构所在地税务机关报告。",
		elig:    "跨省（自治区、直辖市和计划单列市）临时从事生产经营活动的纳税人。", basis: taxLaw,
		steps: quickSteps, mats: []M{idCard, en(cp("外出经营合同", 1, ""), "Contract for the work elsewhere")},
		svc: "F", window: "F区1-3号窗口"},
	{code: "SW006", name: "纳税信用修复", nameEN: "Restoring tax credit", dept: sw, cat: "其他行政权力", kind: catalogue.Promised,
		summary: "纳税人纠正失信行为后，申请修复纳税信用评价结果。",
		elig:    "符合《纳税信用修复范围及标准》且已纠正失信行为的纳税人。", basis: "《纳税信用修复管理办法》",
		steps: stdSteps, mats: []M{applyForm("《纳税信用修复申请表》"), idCard, en(cp("失信行为已纠正的证明材料", 1, ""), "Proof that the breach was corrected")},
		legal: 15, promised: 10, svc: "F", window: "F区1-3号窗口"},

	// ── G 公积金 ─────────────────────────────────────────────
	{code: "GJJ001", name: "住房公积金单位缴存登记", nameEN: "Employer registration for the housing provident fund", dept: gjj, cat: "公共服务", kind: catalogue.Immediate,
		summary: "新设立的单位为职工办理住房公积金缴存登记并开设单位账户。",
		elig:    "本市行政区域内的国家机关、企业、事业单位、社会组织等。", basis: hpfLaw + "第十四条",
		steps: quickSteps, mats: []M{applyForm("《住房公积金单位缴存登记表》"), licence, unitLetter, idCard},
		legal: 0, svc: "G", window: "G区1-3号窗口"},
	{code: "GJJ002", name: "住房公积金个人账户设立", nameEN: "Opening a personal housing provident fund account", dept: gjj, cat: "公共服务", kind: catalogue.Immediate,
		summary: "单位录用职工的，为职工办理住房公积金个人账户设立；灵活就业人员可自愿缴存。",
		elig:    "已办理单位缴存登记的单位新录用职工，或本市灵活就业人员。", basis: hpfLaw + "第十五条",
		steps: quickSteps, mats: []M{idCard, applyForm("《住房公积金个人账户设立表》")},
		svc: "G", window: "G区1-3号窗口"},
	{code: "GJJ003", name: "住房公积金提取（租赁住房）", nameEN: "Withdrawal from the provident fund to pay rent", dept: gjj, cat: "公共服务", kind: catalogue.Immediate,
		summary: "职工及配偶在本市无自有住房且租赁住房的，提取住房公积金支付房租。",
		elig:    "连续足额缴存住房公积金、本人及配偶在本市无自有住房的职工。", basis: hpfLaw + "第二十四条",
		steps: quickSteps, mats: []M{idCard, bankCard, en(cond(cp("房屋租赁合同及租金发票", 1, ""), "按实际房租提取的"), "Lease and rent invoices")},
		legal: 3, svc: "G", window: "G区1-3号窗口"},
	{code: "GJJ004", name: "住房公积金提取（离职或退休）", nameEN: "Withdrawal from the provident fund on leaving work or retiring", dept: gjj, cat: "公共服务", kind: catalogue.Promised,
		summary: "职工离休、退休，或与单位终止劳动关系且符合条件的，销户提取住房公积金。",
		elig:    "离休、退休，或与单位终止劳动关系且户口迁出本市或出境定居的职工。", basis: hpfLaw + "第二十四条",
		steps: stdSteps, mats: []M{idCard, bankCard, en(cp("退休证明或解除劳动合同证明", 1, ""), "Proof of retirement or termination")},
		legal: 3, promised: 1, svc: "G", window: "G区1-3号窗口"},
	{code: "GJJ005", name: "住房公积金个人住房贷款", nameEN: "Housing provident fund mortgage loan", dept: gjj, cat: "公共服务", kind: catalogue.Promised,
		summary: "缴存职工购买、建造、翻建、大修自住住房的，申请住房公积金个人住房贷款。",
		elig:    "连续足额缴存住房公积金6个月以上、具有完全民事行为能力和稳定经济收入、信用良好的缴存职工。", basis: hpfLaw + "第二十六条",
		steps: []string{"提交贷款申请", "窗口受理", "贷款审批", "签订借款合同并办理抵押登记", "发放贷款"},
		mats: []M{idCard, en(both("婚姻状况证明", 1, "结婚证、离婚证或单身声明"), "Proof of marital status"), en(cp("购房合同", 1, "网签备案的商品房买卖合同或存量房买卖合同"), "Purchase contract"),
			en(cp("首付款发票或收据", 1, ""), "Down-payment receipt"), en(cp("收入证明", 1, "单位出具并盖章"), "Proof of income")},
		legal: 15, promised: 10, svc: "G", window: "G区4-5号窗口（贷款）"},
	{code: "GJJ006", name: "住房公积金缴存证明打印", nameEN: "Printing proof of provident fund contributions", dept: gjj, cat: "公共服务", kind: catalogue.Immediate,
		summary: "打印本人住房公积金缴存明细或缴存证明。",
		elig:    "本市住房公积金缴存职工。", basis: hpfLaw,
		steps: []string{"核验身份", "当场打印盖章"}, mats: []M{idCard}, svc: "G", window: "G区1-3号窗口或24小时自助区"},
	{code: "GJJ007", name: "住房公积金提取（偿还购房贷款本息）", nameEN: "Withdrawal from the provident fund to repay a home loan", dept: gjj, cat: "公共服务", kind: catalogue.Immediate,
		summary: "职工偿还购买自住住房贷款本息的，提取本人及配偶住房公积金。",
		elig:    "正在偿还本市或异地自住住房贷款的缴存职工及其配偶。", basis: hpfLaw + "第二十四条",
		steps: quickSteps, mats: []M{idCard, bankCard, en(cp("借款合同", 1, ""), "Loan contract"), en(cp("还款明细", 1, "贷款银行出具"), "Repayment statement")},
		legal: 3, svc: "G", window: "G区1-3号窗口"},

	// ── H 综合窗口：民政 ──────────────────────────────────────────
	{code: "MZ001", name: "内地居民结婚登记", nameEN: "Marriage registration", dept: mz, cat: "行政确认", kind: catalogue.Immediate,
		summary: "内地居民自愿结婚的，男女双方共同到婚姻登记机关申请结婚登记；可网上预约。",
		elig:    "男女双方均达到法定婚龄、无配偶、非直系血亲和三代以内旁系血亲，自愿结婚。",
		basis:   "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》",
		steps:   []string{"双方共同到场并签署《申请结婚登记声明书》", "登记员审查并询问", "颁发结婚证", "颁证仪式（自愿）"},
		mats:    []M{en(orig("双方居民身份证", ""), "ID cards of both"), en(orig("双方近期半身免冠合影照片", "2寸红底，3张"), "Joint photos (3)")},
		feeStd:  "免费", svc: "H", window: "H区婚姻登记处"},
	{code: "MZ002", name: "婚姻登记档案查询", nameEN: "Search of marriage registration records", dept: mz, cat: "公共服务", kind: catalogue.Immediate,
		summary: "当事人查询本人婚姻登记档案，出具婚姻登记记录证明。",
		elig:    "婚姻当事人本人，或持法律文书的代理人、法院等国家机关。", basis: "《婚姻登记档案管理办法》第十四条",
		steps: quickSteps, mats: []M{idCard, agentLetter, agentID}, svc: "H", window: "H区婚姻登记处"},
	{code: "MZ003", name: "最低生活保障申请", nameEN: "Applying for minimum living allowance (dibao)", dept: mz, cat: "行政给付", kind: catalogue.Promised,
		summary: "共同生活的家庭成员人均收入低于当地最低生活保障标准且符合财产状况规定的，申请最低生活保障。",
		elig:    "持有本地户籍、家庭人均收入低于本市低保标准、家庭财产符合规定的家庭。", basis: aidLaw + "第十一条",
		steps: []string{"提出申请并签署家庭经济状况核对授权书", "入户调查", "民主评议", "审核审批并公示", "发放低保金"},
		mats: []M{idCard, hukou, applyForm("《最低生活保障申请书》"), en(orig("家庭经济状况核对授权书", "全体共同生活家庭成员签字"), "Authorisation for checking family finances"),
			en(cond(cp("残疾人证、病历等", 1, ""), "家庭成员有残疾或重病的"), "Disability certificate or medical records")},
		legal: 30, promised: 20, svc: "H", window: "H区1号窗口（社会救助）"},
	{code: "MZ004", name: "特困人员救助供养申请", nameEN: "Applying for support of persons in extreme poverty", dept: mz, cat: "行政给付", kind: catalogue.Promised,
		summary: "无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其义务人无履行能力的老年人、残疾人和未成年人，申请特困人员救助供养。",
		elig:    "同时符合无劳动能力、无生活来源、无法定义务人或义务人无履行能力条件的本地户籍人员。", basis: aidLaw + "第十四条",
		steps: []string{"提出申请", "调查核实", "审核审批并公示", "确定分散或集中供养"},
		mats:  []M{idCard, hukou, applyForm("《特困人员救助供养申请书》"), en(cond(orig("残疾人证", ""), "申请人为残疾人的"), "Disability certificate")},
		legal: 30, promised: 20, svc: "H", window: "H区1号窗口（社会救助）"},
	{code: "MZ005", name: "高龄津贴申领", nameEN: "Claiming the old-age allowance", dept: mz, cat: "行政给付", kind: catalogue.Promised,
		summary: "本市户籍80周岁以上老年人按月领取高龄津贴。",
		elig:    "本市户籍、年满80周岁的老年人。", basis: "《中华人民共和国老年人权益保障法》第三十三条",
		steps: stdSteps, mats: []M{idCard, hukou, bankCard, agentLetter, agentID},
		legal: 20, promised: 10, svc: "H", window: "H区2号窗口（养老服务）"},
	{code: "MZ006", name: "临时救助申请", nameEN: "Applying for temporary assistance", dept: mz, cat: "行政给付", kind: catalogue.Promised,
		summary: "因火灾、交通事故、重大疾病等原因导致基本生活暂时出现严重困难的家庭或个人，申请临时救助；情况紧急的先行救助。",
		elig:    "基本生活暂时出现严重困难、需要政府给予过渡性救助的家庭或个人。", basis: aidLaw + "第四十七条",
		steps: []string{"提出申请", "审核（紧急情况先行救助）", "审批并发放救助金"},
		mats:  []M{idCard, applyForm("《临时救助申请审批表》"), en(cp("困难情况证明材料", 1, "医疗票据、事故证明等"), "Proof of hardship")},
		legal: 15, promised: 5, svc: "H", window: "H区1号窗口（社会救助）"},

	// ── H 综合窗口：残联 ──────────────────────────────────────────
	{code: "CL001", name: "残疾人证新办", nameEN: "Applying for a disability certificate", dept: cl, cat: "行政确认", kind: catalogue.Promised,
		summary: "符合残疾标准的，经指定医院评定后核发中华人民共和国残疾人证（第三代智能化残疾人证）。",
		elig:    "视力、听力、言语、肢体、智力、精神残疾及多重残疾人员，本人或其监护人申请。", basis: disLaw + "；《中华人民共和国残疾人证管理办法》",
		steps: []string{"提交申请", "到指定医院进行残疾评定", "残联审核", "公示并制发残疾人证"},
		mats:  []M{idCard, hukou, en(orig("近期2寸白底免冠彩色照片", "3张"), "Recent photos (3)"), en(cond(orig("监护人居民身份证及监护关系证明", ""), "由监护人代为申请的"), "Guardian's ID and proof of guardianship")},
		legal: 30, promised: 20, svc: "H", window: "H区3号窗口（残联）", initials: "cjrzxb"},
	{code: "CL002", name: "残疾人证换领", nameEN: "Renewal of a disability certificate", dept: cl, cat: "行政确认", kind: catalogue.Promised,
		summary: "残疾人证有效期满、损毁或残疾类别等级变化的，申请换领。",
		elig:    "持有残疾人证的残疾人。", basis: "《中华人民共和国残疾人证管理办法》",
		steps: stdSteps, mats: []M{idCard, en(orig("原残疾人证", "换领时交回"), "Old disability certificate"), en(orig("近期2寸白底免冠彩色照片", "2张"), "Recent photos (2)")},
		legal: 15, promised: 10, svc: "H", window: "H区3号窗口（残联）"},
	{code: "CL003", name: "困难残疾人生活补贴和重度残疾人护理补贴申请", nameEN: "Living and care allowances for disabled persons", dept: cl, cat: "行政给付", kind: catalogue.Promised,
		summary: "低保家庭中的残疾人申请生活补贴，一级、二级重度残疾人申请护理补贴。",
		elig:    "持有第三代残疾人证、符合补贴条件的本地户籍残疾人。", basis: "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
		steps: []string{"提出申请", "乡镇（街道）初审", "残联审核", "民政、财政部门审定并发放"},
		mats:  []M{idCard, en(orig("残疾人证", ""), "Disability certificate"), bankCard, en(cond(cp("低保证或低保边缘家庭证明", 1, ""), "申请生活补贴的"), "Proof of dibao status")},
		legal: 30, promised: 20, svc: "H", window: "H区3号窗口（残联）", initials: "knjcrshbthzdcjrhlbtsq"},
	{code: "CL004", name: "残疾人辅助器具适配申请", nameEN: "Applying for assistive devices", dept: cl, cat: "公共服务", kind: catalogue.Promised,
		summary: "残疾人申请轮椅、助听器、助行器等基本型辅助器具的评估和适配补贴。",
		elig:    "持有残疾人证、有辅助器具需求的本地户籍残疾人。", basis: disLaw + "第五十四条",
		steps: []string{"提出申请", "辅助器具评估", "适配并发放", "回访"},
		mats:  []M{idCard, en(orig("残疾人证", ""), "Disability certificate"), applyForm("《残疾人辅助器具适配申请表》")},
		legal: 20, promised: 15, svc: "H", window: "H区3号窗口（残联）"},

	// ── H 综合窗口：出入境 ─────────────────────────────────────────
	{code: "CRJ001", name: "普通护照签发", nameEN: "Issuing an ordinary passport", dept: crj, cat: "行政许可", kind: catalogue.Promised,
		summary: "中国公民因私出国申请普通护照，包括首次申领、换发和补发；全国通办。",
		elig:    "中国公民（国家工作人员按规定办理）。", basis: "《中华人民共和国护照法》第五条、第六条",
		steps: []string{"现场采集照片和指纹", "填写申请表并提交材料", "缴纳证件费", "审批制证", "领取证件或邮寄"},
		mats:  []M{idCard, en(cond(orig("原护照", ""), "换发或补发护照的"), "Old passport"), en(cond(orig("监护人身份证明及监护关系证明", ""), "未满16周岁的"), "Guardian's ID and proof of guardianship")},
		legal: 15, promised: 7, fen: 12000, feeStd: "普通护照120元/本", feeBasis: ppFee, svc: "H", window: "H区5-7号窗口（出入境）"},
	{code: "CRJ002", name: "往来港澳通行证及签注签发", nameEN: "Issuing a Hong Kong and Macao travel permit with endorsement", dept: crj, cat: "行政许可", kind: catalogue.Promised,
		summary: "内地居民因私往来香港或澳门，申请往来港澳通行证及旅游、探亲等签注；全国通办。",
		elig:    "内地居民。", basis: "《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》",
		steps: []string{"现场采集照片和指纹", "提交申请", "缴纳证件费", "审批制证", "领取证件或邮寄"},
		mats:  []M{idCard, en(cond(orig("原往来港澳通行证", ""), "换发的"), "Old travel permit"), en(cond(orig("亲属关系证明", ""), "申请探亲签注的"), "Proof of kinship")},
		legal: 15, promised: 7, fen: 6000, feeStd: "往来港澳通行证（电子卡式）60元/证；签注另收，一次有效15元/件", feeBasis: ppFee, svc: "H", window: "H区5-7号窗口（出入境）"},
	{code: "CRJ003", name: "往来港澳通行证再次签注", nameEN: "New endorsement on a Hong Kong and Macao travel permit", dept: crj, cat: "行政许可", kind: catalogue.Immediate,
		summary: "持有有效电子往来港澳通行证的，在自助签注机或窗口办理再次签注，当场办结。",
		elig:    "持有有效电子往来港澳通行证的内地居民。", basis: "《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》",
		steps: []string{"在自助签注机或窗口核验证件", "缴费", "当场签注"}, mats: []M{en(orig("有效的电子往来港澳通行证", ""), "Valid travel permit")},
		legal: 7, fen: 1500, feeStd: "一次有效签注15元/件，二次有效签注30元/件", feeBasis: ppFee, svc: "H", window: "H区自助签注机或5-7号窗口"},
	{code: "CRJ004", name: "往来台湾通行证及签注签发", nameEN: "Issuing a Taiwan travel permit with endorsement", dept: crj, cat: "行政许可", kind: catalogue.Promised,
		summary: "大陆居民往来台湾地区，申请往来台湾通行证及签注。",
		elig:    "大陆居民。", basis: "《中国公民往来台湾地区管理办法》",
		steps: []string{"现场采集照片和指纹", "提交申请", "缴纳证件费", "审批制证", "领取证件"},
		mats:  []M{idCard, en(cond(orig("原往来台湾通行证", ""), "换发的"), "Old Taiwan travel permit")},
		legal: 15, promised: 7, fen: 6000, feeStd: "往来台湾通行证（电子卡式）60元/证；一次有效签注15元/件", feeBasis: ppFee, svc: "H", window: "H区5-7号窗口（出入境）"},
	{code: "CRJ005", name: "出入境记录查询", nameEN: "Search of one's own exit and entry records", dept: crj, cat: "公共服务", kind: catalogue.Immediate,
		summary: "查询并出具本人出入境记录。",
		elig:    "本人或其委托的代理人。", basis: "《中华人民共和国出境入境管理法》",
		steps: quickSteps, mats: []M{idCard, agentLetter, agentID}, svc: "H", window: "H区5-7号窗口（出入境）"},
}

func main() {
	var items []catalogue.Item
	for _, d := range defs {
		it := catalogue.Item{
			Code: d.code, Name: catalogue.Text{ZH: d.name, EN: d.nameEN}, Initials: d.initials,
			Department: catalogue.Text{ZH: d.dept, EN: deptEN[d.dept]}, JointDepartments: d.joint,
			Category: d.cat, Kind: d.kind, Summary: d.summary, Eligibility: d.elig, Basis: d.basis,
			Steps: d.steps, Materials: d.mats, LegalDays: d.legal, PromisedDays: d.promised,
			Fee:     catalogue.Fee{AmountFen: d.fen, Standard: d.feeStd, Basis: d.feeBasis},
			Service: d.svc, Window: d.window, OnlineURL: "https://zwfw.hall.example/item/" + strings.ToLower(d.code), Version: 1,
		}
		it.Keywords = keywords[d.code]
		if it.Initials == "" {
			it.Initials = catalogue.SearchKeys(d.name, it.Keywords)
		} else {
			// Hand-checked initials of the name (ASCII passes through), then the keywords'.
			it.Initials = catalogue.SearchKeys(d.initials, it.Keywords)
		}
		items = append(items, it)
	}
	c, err := catalogue.New("demo-2026.11", items)
	if err != nil {
		log.Fatal(err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	must(os.WriteFile("demo.json", append(b, '\n'), 0o644))
	var ib, mb bytes.Buffer
	must(c.WriteCSV(&ib, &mb))
	must(os.WriteFile("items.csv", ib.Bytes(), 0o644))
	must(os.WriteFile("materials.csv", mb.Bytes(), 0o644))
	for _, it := range c.Items() {
		fmt.Printf("%-7s %s %-24s %s\n", it.Code, it.Service, it.Initials, it.Name.ZH)
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
