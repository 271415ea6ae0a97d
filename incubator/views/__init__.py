"""Incubator admin views: viewsets (`organizations`, `incubation`) and screens."""
