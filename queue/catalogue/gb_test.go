package catalogue_test

import "golang.org/x/text/encoding/simplifiedchinese"

func gb18030(b []byte) ([]byte, error) { return simplifiedchinese.GB18030.NewEncoder().Bytes(b) }
