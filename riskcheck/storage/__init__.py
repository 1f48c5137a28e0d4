"""Storage: users, questionnaire versions, patient responses and the audit log (SQLAlchemy 2).

SQLite by default, PostgreSQL by URL; the schema is created and upgraded by Alembic
migrations (riskcheck/storage/migrations). Nothing here imports Flask.
"""
