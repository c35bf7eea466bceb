// StandinKit module.
