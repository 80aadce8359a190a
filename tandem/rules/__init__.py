"""The domain's rules as pure Python: no Django import, plain values in, answers with reasons out."""
