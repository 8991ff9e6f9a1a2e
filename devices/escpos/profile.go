package escpos

// FlowControl is the serial flow control a printer uses.
type FlowControl int

const (
	FlowNone    FlowControl = iota // no flow control: the host paces itself
	FlowXonXoff                    // software flow control (XON 0x11 / XOFF 0x13 from the printer)
)

func (f FlowControl) String() string {
	if f == FlowXonXoff {
		return "xonxoff"
	}
	return "none"
}

// Profile describes what one printer model can do. The encoder consults it
// for the things that change the bytes (text as GB18030 or as raster, QR
// native or as raster); the serial driver for baud and flow control.
type Profile struct {
	Name        string
	Dots        int         // printable width in dots
	Columns     int         // columns of the 12×24 font per line; a Chinese character takes 2
	DotsPerMM   int         // 8 for 203 dpi heads
	HasCJKFont  bool        // prints GB18030 after FS &; otherwise text is rendered to raster
	NativeQR    bool        // supports GS ( k QR; otherwise QR codes go as raster
	NVLogo      bool        // has a logo stored in NV memory (FS p)
	Baud        int         // serial speed, 8N1
	FlowControl FlowControl // serial flow control
	CutFeedDots int         // paper advanced by a feed-and-cut (head to cutter), for time estimates
}

// The profiles the product ships with. Most Chinese 80 mm kiosk printers
// match Generic80, most 58 mm ones Generic58.
var (
	Generic80 = Profile{
		Name: "generic-80", Dots: 576, Columns: 48, DotsPerMM: 8,
		HasCJKFont: true, NativeQR: true, NVLogo: true,
		Baud: 115200, FlowControl: FlowXonXoff, CutFeedDots: 120,
	}
	Generic58 = Profile{
		Name: "generic-58", Dots: 384, Columns: 32, DotsPerMM: 8,
		HasCJKFont: true, NativeQR: true, NVLogo: false,
		Baud: 9600, FlowControl: FlowNone, CutFeedDots: 96,
	}
	// Generic80Raster is an 80 mm printer without CJK font or native QR:
	// everything but the cut is raster. It is what most libraries produce
	// for Chinese text, kept to measure what native commands save.
	Generic80Raster = Profile{
		Name: "generic-80-raster", Dots: 576, Columns: 48, DotsPerMM: 8,
		HasCJKFont: false, NativeQR: false, NVLogo: false,
		Baud: 115200, FlowControl: FlowXonXoff, CutFeedDots: 120,
	}
)

// Profiles lists the built-in profiles by name.
var Profiles = map[string]Profile{
	Generic80.Name:       Generic80,
	Generic58.Name:       Generic58,
	Generic80Raster.Name: Generic80Raster,
}
