"""Local servers that implement the CrocoClick API and the QuickBooks Online API (with OAuth).

Used by the demo mode and the tests. They follow `crococlick-api.yaml` and the QBO reference
facts strictly, so that what passes against them passes against the real services.
"""
