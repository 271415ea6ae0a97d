"""The benchmark: province-scale data (`generate`) and timed runs (`measure`); not the product."""
