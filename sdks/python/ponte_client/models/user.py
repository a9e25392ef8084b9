from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.image_url import ImageUrl
    from ..models.user_role import UserRole


T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """The signed-in user, as the client's backend described them.

    Attributes:
        user_id (str):
        full_name (str):
        email (str):
        phone (str):
        username (str):
        image_url (ImageUrl):
        user_role (UserRole):
        created (int): Unix milliseconds.
    """

    user_id: str
    full_name: str
    email: str
    phone: str
    username: str
    image_url: ImageUrl
    user_role: UserRole
    created: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        full_name = self.full_name

        email = self.email

        phone = self.phone

        username = self.username

        image_url = self.image_url.to_dict()

        user_role = self.user_role.to_dict()

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "userID": user_id,
                "fullName": full_name,
                "email": email,
                "phone": phone,
                "username": username,
                "imageURL": image_url,
                "userRole": user_role,
                "created": created,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.image_url import ImageUrl
        from ..models.user_role import UserRole

        d = dict(src_dict)
        user_id = d.pop("userID")

        full_name = d.pop("fullName")

        email = d.pop("email")

        phone = d.pop("phone")

        username = d.pop("username")

        image_url = ImageUrl.from_dict(d.pop("imageURL"))

        user_role = UserRole.from_dict(d.pop("userRole"))

        created = d.pop("created")

        user = cls(
            user_id=user_id,
            full_name=full_name,
            email=email,
            phone=phone,
            username=username,
            image_url=image_url,
            user_role=user_role,
            created=created,
        )

        user.additional_properties = d
        return user

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
