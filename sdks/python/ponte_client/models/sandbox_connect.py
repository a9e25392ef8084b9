from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SandboxConnect")


@_attrs_define
class SandboxConnect:
    """
    Attributes:
        institution_code (str): The portal, as `GET /api/institutions` lists it.
        username (str): A sandbox user: `user_good`, `user_mfa` (asks for `otp`), `user_big` (five tax years),
            `user_flaky` (some downloads fail); `user_locked` is refused at sign-in.
        password (str): `pass_good`.
        otp (None | str | Unset): The one-time code `user_mfa` is asked for: `123456`.
    """

    institution_code: str
    username: str
    password: str
    otp: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        institution_code = self.institution_code

        username = self.username

        password = self.password

        otp: None | str | Unset
        if isinstance(self.otp, Unset):
            otp = UNSET
        else:
            otp = self.otp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "institutionCode": institution_code,
                "username": username,
                "password": password,
            }
        )
        if otp is not UNSET:
            field_dict["otp"] = otp

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        institution_code = d.pop("institutionCode")

        username = d.pop("username")

        password = d.pop("password")

        def _parse_otp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        otp = _parse_otp(d.pop("otp", UNSET))

        sandbox_connect = cls(
            institution_code=institution_code,
            username=username,
            password=password,
            otp=otp,
        )

        sandbox_connect.additional_properties = d
        return sandbox_connect

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
