package vprinter

// RenderBytes parses an ESC/POS stream offline, as the virtual printer
// would, and returns each job (the paper between cuts) with its PNG. It is
// how `hallq print --png` shows a ticket without a printer.
func RenderBytes(data []byte, width int) ([]*Job, error) {
	if width <= 0 {
		width = 576
	}
	logo, err := TextLogo("政务服务中心", width, 120)
	if err != nil {
		return nil, err
	}
	var jobs []*Job
	p := &Parser{Width: width, NV: map[int]*Raster{1: logo}, Done: func(j *Job) { jobs = append(jobs, j) }}
	p.Feed(data)
	if j := p.Pending(); j != nil && len(j.Elements) > 0 {
		jobs = append(jobs, j)
	}
	r := &Renderer{Width: width}
	for _, j := range jobs {
		png, err := r.Render(j)
		if err != nil {
			return nil, err
		}
		j.PNG = png
	}
	return jobs, nil
}
