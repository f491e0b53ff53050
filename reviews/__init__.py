"""Review analysis: flag negative reviews (中差评) and find their causes, evidence and severity."""
