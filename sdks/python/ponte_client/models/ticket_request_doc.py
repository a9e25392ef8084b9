from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TicketRequestDoc")


@_attrs_define
class TicketRequestDoc:
    """`POST /v1/server/auth_ticket/request`: the seed's parameters, numbered.

    Example:
        {'email': 'jony@email.com', 'fullName': 'Jony', 'phone': '08991234567', 'photoFullsizeURL':
            'http://www.example.com/photo/full/6.jpg', 'photoThumbnailURL': 'http://www.example.com/photo/thumb/6.jpg',
            'userAgent': 'AdvancedRestClient/12.1.14', 'userDeviceID': 'aaaa-bbbb-cccc-dddd', 'userIPAddress':
            '182.253.177.234', 'userPlatform': 'android', 'userRoleCode': 'user', 'username': 'jony', 'xcUserID': '6'}

    Attributes:
        user_ip_address (str): (101) The user's IP address, IPv4 or IPv6.
        user_agent (str): (102) The user agent, at most 512 characters.
        user_platform (str): (103) The user's platform: `android`, `ios` or `web`.
        user_device_id (str): (104) The user's device ID, at most 255 characters.
        xc_user_id (str): (105) Your own ID for the user, at most 50 characters. The same xcUserID is always the same
            user (`userID`); a new one makes a new user.
        full_name (str): (106) The user's full name, at most 200 characters.
        email (None | str | Unset): (107) Optional. The user's e-mail address.
        phone (None | str | Unset): (108) Optional. The user's phone, starting with the country code: 8 to 15 digits,
            optionally
            after a `+`.
        username (None | str | Unset): (109) Optional. The user's username, at most 100 characters.
        photo_thumbnail_url (None | str | Unset): (110) Optional. An http(s) URL of the user's thumbnail picture.
        photo_fullsize_url (None | str | Unset): (111) Optional. An http(s) URL of the user's full-size picture.
        user_role_code (None | str | Unset): (112) Optional. The user's role code, at most 50 characters.
    """

    user_ip_address: str
    user_agent: str
    user_platform: str
    user_device_id: str
    xc_user_id: str
    full_name: str
    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    username: None | str | Unset = UNSET
    photo_thumbnail_url: None | str | Unset = UNSET
    photo_fullsize_url: None | str | Unset = UNSET
    user_role_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_ip_address = self.user_ip_address

        user_agent = self.user_agent

        user_platform = self.user_platform

        user_device_id = self.user_device_id

        xc_user_id = self.xc_user_id

        full_name = self.full_name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        photo_thumbnail_url: None | str | Unset
        if isinstance(self.photo_thumbnail_url, Unset):
            photo_thumbnail_url = UNSET
        else:
            photo_thumbnail_url = self.photo_thumbnail_url

        photo_fullsize_url: None | str | Unset
        if isinstance(self.photo_fullsize_url, Unset):
            photo_fullsize_url = UNSET
        else:
            photo_fullsize_url = self.photo_fullsize_url

        user_role_code: None | str | Unset
        if isinstance(self.user_role_code, Unset):
            user_role_code = UNSET
        else:
            user_role_code = self.user_role_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "userIPAddress": user_ip_address,
                "userAgent": user_agent,
                "userPlatform": user_platform,
                "userDeviceID": user_device_id,
                "xcUserID": xc_user_id,
                "fullName": full_name,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if username is not UNSET:
            field_dict["username"] = username
        if photo_thumbnail_url is not UNSET:
            field_dict["photoThumbnailURL"] = photo_thumbnail_url
        if photo_fullsize_url is not UNSET:
            field_dict["photoFullsizeURL"] = photo_fullsize_url
        if user_role_code is not UNSET:
            field_dict["userRoleCode"] = user_role_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        user_ip_address = d.pop("userIPAddress")

        user_agent = d.pop("userAgent")

        user_platform = d.pop("userPlatform")

        user_device_id = d.pop("userDeviceID")

        xc_user_id = d.pop("xcUserID")

        full_name = d.pop("fullName")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))

        def _parse_photo_thumbnail_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        photo_thumbnail_url = _parse_photo_thumbnail_url(
            d.pop("photoThumbnailURL", UNSET)
        )

        def _parse_photo_fullsize_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        photo_fullsize_url = _parse_photo_fullsize_url(d.pop("photoFullsizeURL", UNSET))

        def _parse_user_role_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_role_code = _parse_user_role_code(d.pop("userRoleCode", UNSET))

        ticket_request_doc = cls(
            user_ip_address=user_ip_address,
            user_agent=user_agent,
            user_platform=user_platform,
            user_device_id=user_device_id,
            xc_user_id=xc_user_id,
            full_name=full_name,
            email=email,
            phone=phone,
            username=username,
            photo_thumbnail_url=photo_thumbnail_url,
            photo_fullsize_url=photo_fullsize_url,
            user_role_code=user_role_code,
        )

        ticket_request_doc.additional_properties = d
        return ticket_request_doc

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
