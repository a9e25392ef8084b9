from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="SessionTokens")


@_attrs_define
class SessionTokens:
    """
    Attributes:
        access_token (str): For `Authorization: Bearer` on the client endpoints; lives 15 minutes.
        access_token_expiry (int): Unix milliseconds.
        refresh_token (str): Single use: `POST /v1/client/auth/access_token/refresh` trades it for a new pair.
            Presenting a
            used one again ends the session.
        refresh_token_expiry (int): Unix milliseconds.
        user (User): The signed-in user, as the client's backend described them.
    """

    access_token: str
    access_token_expiry: int
    refresh_token: str
    refresh_token_expiry: int
    user: User
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        access_token_expiry = self.access_token_expiry

        refresh_token = self.refresh_token

        refresh_token_expiry = self.refresh_token_expiry

        user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accessToken": access_token,
                "accessTokenExpiry": access_token_expiry,
                "refreshToken": refresh_token,
                "refreshTokenExpiry": refresh_token_expiry,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user import User

        d = dict(src_dict)
        access_token = d.pop("accessToken")

        access_token_expiry = d.pop("accessTokenExpiry")

        refresh_token = d.pop("refreshToken")

        refresh_token_expiry = d.pop("refreshTokenExpiry")

        user = User.from_dict(d.pop("user"))

        session_tokens = cls(
            access_token=access_token,
            access_token_expiry=access_token_expiry,
            refresh_token=refresh_token,
            refresh_token_expiry=refresh_token_expiry,
            user=user,
        )

        session_tokens.additional_properties = d
        return session_tokens

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
