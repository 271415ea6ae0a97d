"""Reads of rural revitalization: roll-ups, report checks, funded projects."""
