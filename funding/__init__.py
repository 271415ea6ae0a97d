"""The funding app: lottery-fund calls, reviews and the funding line, awards and
government service purchases."""
