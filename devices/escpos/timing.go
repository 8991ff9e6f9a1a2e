package escpos

import "time"

// MechanismSpeed is the print speed assumed by estimates: 150 mm/s, the slow
// end of thermal kiosk mechanisms (150–300 mm/s).
const MechanismSpeed = 150.0

// TransmitTime is how long n bytes take on a serial line at baud, 8N1: ten
// bits per byte (start, eight data, stop), no pauses.
func TransmitTime(n int64, baud int) time.Duration {
	if baud <= 0 {
		return 0
	}
	return time.Duration(n * 10 * int64(time.Second) / int64(baud))
}

// PrintTime is how long the mechanism takes to print dots of paper length
// at dotsPerMM and mmPerSec.
func PrintTime(dots int64, dotsPerMM int, mmPerSec float64) time.Duration {
	if dotsPerMM <= 0 || mmPerSec <= 0 {
		return 0
	}
	return time.Duration(float64(dots) / float64(dotsPerMM) / mmPerSec * float64(time.Second))
}

// Estimate summarises one job for the question that matters on a kiosk:
// does the serial line keep up with the mechanism?
type Estimate struct {
	Bytes    int64
	LengthMM float64       // estimated paper length, see Encoder.FeedDots
	Print    time.Duration // at MechanismSpeed
	Transmit time.Duration // at the profile's baud rate
}

// Estimate returns the figures for what the encoder has written so far.
func (e *Encoder) Estimate() Estimate {
	return Estimate{
		Bytes:    e.n,
		LengthMM: float64(e.dots) / float64(e.p.DotsPerMM),
		Print:    PrintTime(e.dots, e.p.DotsPerMM, MechanismSpeed),
		Transmit: TransmitTime(e.n, e.p.Baud),
	}
}

// KeepsUp reports whether sending the job is no slower than printing it.
func (x Estimate) KeepsUp() bool { return x.Transmit <= x.Print }
