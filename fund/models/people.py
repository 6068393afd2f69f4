"""Users (every role) and organisations (werkgevers, leerbedrijven)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.types import Role, UTCDateTime, money_column, trigram_index, utcnow


class PostalAddress:
    """A Dutch postal address: a person's correspondence address or an organisation's
    vestigingsadres (regeling §6: every beschikking is addressed to it)."""

    street: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[str | None] = mapped_column(String(12))  # "12", "12a", "12-3"
    postcode: Mapped[str | None] = mapped_column(String(7))  # "7811 AB"
    city: Mapped[str | None] = mapped_column(String(100))

    @property
    def has_postal_address(self) -> bool:
        return bool(self.street and self.house_number and self.postcode and self.city)

    @property
    def address_lines(self) -> list[str]:
        """The two lines under the name on an envelope: "Hoofdstraat 12", "7811 AB  EMMEN"."""
        lines = []
        if self.street:
            lines.append(" ".join(p for p in (self.street, self.house_number) if p))
        if self.postcode or self.city:
            lines.append("  ".join(p for p in (self.postcode, (self.city or "").upper()) if p))
        return lines


class Organisation(PostalAddress, db.Model):
    """A werkgever or leerbedrijf, identified by its KvK number."""

    __tablename__ = "organisations"
    __table_args__ = (trigram_index("ix_organisations_name_trgm", "name"),)  # the queue's search

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk_number: Mapped[str] = mapped_column(String(8), unique=True)
    # CBS gemeentecode of the vestiging (GM + 4 digits): decides the werkgebied.
    municipality: Mapped[str] = mapped_column(String(6), index=True)
    employees: Mapped[int] = mapped_column(Integer, default=0)
    annual_turnover: Mapped[Decimal] = mapped_column(
        money_column(), default=Decimal("0.00")
    )
    sbb_erkend: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="organisation")

    @property
    def size_class(self) -> str:
        """klein-MKB (< 10), MKB (< 250) or groot, for display; the rules decide eligibility."""
        if self.employees < 10:
            return "klein-mkb"
        if self.employees < 250:
            return "mkb"
        return "groot"


class User(PostalAddress, UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (trigram_index("ix_users_name_trgm", "name"),)  # the queue's search

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # BSN only for inwoners, where the Awb/AVG basis exists (identifying the applicant of a
    # personal grant). Never logged, never exported, never in a URL.
    bsn: Mapped[str | None] = mapped_column(String(9))
    # False only between self-registration and following the link in the verification mail;
    # an unverified account cannot submit an application.
    email_verified: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    # Staff: the daily mail with files due within 5 working days and overdue (opt-out).
    daily_summary: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # raised to end every session of this user (logout, password change, deactivation, role change)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    # Second factor (staff): the TOTP secret (base32), confirmed once the first code was right;
    # the last accepted time step, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # True when the BSN came from DigiD (then the applicant cannot type or change it).
    bsn_from_digid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan")
    identities: Mapped[list["LoginIdentity"]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role | str) -> bool:
        wanted = {Role(r).value for r in roles}
        if self.role in wanted:
            return True
        # A supervisor may do everything an officer may do (and co-sign).
        return self.role == Role.SUPERVISOR.value and Role.OFFICER.value in wanted

    @property
    def is_staff(self) -> bool:
        return self.role in {
            Role.OFFICER.value,
            Role.SUPERVISOR.value,
            Role.FINANCE.value,
            Role.AUDITOR.value,
            Role.BELEID.value,
            Role.ADMIN.value,
        }

    def __repr__(self) -> str:  # never include the BSN
        return f"<User {self.id} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code to log in when the authenticator app is lost; only its hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))  # argon2, like passwords
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class LoginIdentity(db.Model):
    """A login through an OpenID Connect broker (DigiD, eHerkenning) bound to a user: the
    provider and the broker's stable subject (never the BSN itself)."""

    __tablename__ = "login_identities"
    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_login_identities_provider_subject"),
                      UniqueConstraint("user_id", "provider", name="uq_login_identities_user_provider"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(16))  # "digid" | "eherkenning"
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="identities")
