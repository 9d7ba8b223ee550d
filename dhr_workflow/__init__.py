"""dhr-workflow: the case-workflow engine for statutory Domestic Homicide Reviews."""

__version__ = "0.1.0"
