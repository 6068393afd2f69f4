"""Awb 7:11: decisions taken because a bezwaar was gegrond are part of the beslissing op bezwaar.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('op_bezwaar_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_decisions_op_bezwaar_id_decisions'), 'decisions',
                                 ['op_bezwaar_id'], ['id'])
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('bezwaar_redecide_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('applications') as batch:
        batch.drop_column('bezwaar_redecide_id')
    with op.batch_alter_table('decisions') as batch:
        batch.drop_constraint(op.f('fk_decisions_op_bezwaar_id_decisions'), type_='foreignkey')
        batch.drop_column('op_bezwaar_id')
