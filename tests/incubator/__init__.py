"""Tests of the incubator app: the registry, incubation bases, residencies."""
