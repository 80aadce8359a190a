"""Tandem: IEPs and 504 Plans for US school districts."""
