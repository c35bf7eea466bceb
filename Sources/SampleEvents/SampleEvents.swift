// SampleEvents module.
