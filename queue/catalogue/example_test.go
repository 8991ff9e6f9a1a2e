package catalogue_test

import (
	"errors"
	"fmt"
	"strings"

	"hallq/queue/catalogue"
)

func ExampleParseCSV() {
	items := `事项编码,事项名称,实施部门,事项类型,办件类型,事项说明,申请条件,办理流程,法定时限,承诺时限,取号业务
RS006,社会保障卡申领,区人社局,公共服务,即办件,即时制卡。,参保人员。,受理|制卡,5,0,A
RS004,失业保险金申领,区人社局,行政给付,承诺件,按月领取。,失业人员。,受理|审核|发放,10,15,A
`
	materials := `事项编码,材料名称,材料形式,份数
RS006,居民身份证,原件,1
RS004,居民身份证,原件,1
`
	_, err := catalogue.ParseCSV(strings.NewReader(items), strings.NewReader(materials))
	var ve *catalogue.ValidationError
	if errors.As(err, &ve) {
		fmt.Print(ve.Report())
	}
	// Output: items row 3 (RS004) promised_days: promised 15 working days is longer than the legal limit of 10
}

func ExampleCatalogue_Search() {
	items := `code,name,keywords,department,category,kind,summary,eligibility,steps,legal_days,promised_days,service
RS006,社会保障卡申领,社保卡,区人社局,公共服务,immediate,即时制卡。,参保人员。,受理,5,0,A
`
	c, err := catalogue.ParseCSV(strings.NewReader(items), strings.NewReader("item_code,name,form,copies\nRS006,居民身份证,original,1\n"))
	if err != nil {
		panic(err)
	}
	for _, it := range c.Search("sbk") {
		fmt.Println(it.Code, it.Name.ZH, it.Initials)
	}
	// Output: RS006 社会保障卡申领 shbzksl sbk
}
