"""Several riskcheck instances sharing one database and one Redis."""
