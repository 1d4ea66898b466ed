from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cpu_arch import CpuArch
from ..models.flavor_type import FlavorType
from ..models.instance_status import InstanceStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.created_user import CreatedUser
    from ..models.last_updated_user import LastUpdatedUser


T = TypeVar("T", bound="Instance")


@_attrs_define
class Instance:
    """One ROMA Connect instance.

    Attributes:
        id (str): Instance ID. Example: e34610ca-0a37-4f04-8856-4101b08cc5e2.
        name (str): Instance name. Example: roma-test.
        status (InstanceStatus | str): Instance status. As a query filter: the status to list. In an instance: Instance
            running status. Assumption (not in the source doc) for responses: the English page does not enumerate the
            running status; the Chinese edition lists the same 8 values as the filter.
        description (str | Unset): Instance description.
        flavor_id (str | Unset): Instance specification ID. Example: 00400-30101-0--0.
        flavor_type (FlavorType | str | Unset): Instance specification type. Assumption (not in the source doc's table):
            the wire values are lower case. The English table lists "Basic/Professional/Enterprise/Platinum", but the page's
            own example returns `"basic"` and the Chinese edition lists `basic|professional|enterprise|platinum`.
        cpu_arch (CpuArch | str | Unset): CPU architecture type:
            - `x86_64`: x86.
            - `aarch64`: Arm.
        vpc_id (str | Unset): VPC ID specified by the instance.
        subnet_id (str | Unset): VPC subnet ID specified by the instance.
        security_group_id (str | Unset): Security group ID specified by the instance.
        publicip_enable (bool | Unset): Indicates whether to enable public network access. If the function is enabled,
            the publicip_id field is mandatory.
        publicip_id (str | Unset): ID of the EIP bound to the instance.
        publicip_address (str | Unset): EIP bound to the instance. Example: 139.9.140.164.
        error_code (str | Unset): Error code.
        error_msg (str | Unset): Error message.
        charge_type (str | Unset): Billing mode of the instance. Example: prePaid.
        project_id (str | Unset): Project ID. Example: 106506b9a92342df9a5025fc12351cfc.
        create_time (datetime.datetime | Unset): Creation time. Example: 2019-12-06T06:49:04Z.
        update_time (datetime.datetime | Unset): Update time. Example: 2019-12-06T06:49:04Z.
        maintain_begin (str | Unset): O&M start time. Example: 22:00:00.
        maintain_end (str | Unset): O&M end time. Example: 02:00:00.
        available_zone_ids (list[str] | Unset): AZ list used for creating an instance.
        enterprise_project_id (str | Unset): ID of the enterprise project to which the gateway belongs. Example: 0.
        created_user (CreatedUser | Unset): Creator information.
        last_updated_user (LastUpdatedUser | Unset): Last update user information.
    """

    id: str
    name: str
    status: InstanceStatus | str
    description: str | Unset = UNSET
    flavor_id: str | Unset = UNSET
    flavor_type: FlavorType | str | Unset = UNSET
    cpu_arch: CpuArch | str | Unset = UNSET
    vpc_id: str | Unset = UNSET
    subnet_id: str | Unset = UNSET
    security_group_id: str | Unset = UNSET
    publicip_enable: bool | Unset = UNSET
    publicip_id: str | Unset = UNSET
    publicip_address: str | Unset = UNSET
    error_code: str | Unset = UNSET
    error_msg: str | Unset = UNSET
    charge_type: str | Unset = UNSET
    project_id: str | Unset = UNSET
    create_time: datetime.datetime | Unset = UNSET
    update_time: datetime.datetime | Unset = UNSET
    maintain_begin: str | Unset = UNSET
    maintain_end: str | Unset = UNSET
    available_zone_ids: list[str] | Unset = UNSET
    enterprise_project_id: str | Unset = UNSET
    created_user: CreatedUser | Unset = UNSET
    last_updated_user: LastUpdatedUser | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        status: str
        if isinstance(self.status, InstanceStatus):
            status = self.status.value
        else:
            status = self.status

        description = self.description

        flavor_id = self.flavor_id

        flavor_type: str | Unset
        if isinstance(self.flavor_type, Unset):
            flavor_type = UNSET
        elif isinstance(self.flavor_type, FlavorType):
            flavor_type = self.flavor_type.value
        else:
            flavor_type = self.flavor_type

        cpu_arch: str | Unset
        if isinstance(self.cpu_arch, Unset):
            cpu_arch = UNSET
        elif isinstance(self.cpu_arch, CpuArch):
            cpu_arch = self.cpu_arch.value
        else:
            cpu_arch = self.cpu_arch

        vpc_id = self.vpc_id

        subnet_id = self.subnet_id

        security_group_id = self.security_group_id

        publicip_enable = self.publicip_enable

        publicip_id = self.publicip_id

        publicip_address = self.publicip_address

        error_code = self.error_code

        error_msg = self.error_msg

        charge_type = self.charge_type

        project_id = self.project_id

        create_time: str | Unset = UNSET
        if not isinstance(self.create_time, Unset):
            create_time = self.create_time.isoformat()

        update_time: str | Unset = UNSET
        if not isinstance(self.update_time, Unset):
            update_time = self.update_time.isoformat()

        maintain_begin = self.maintain_begin

        maintain_end = self.maintain_end

        available_zone_ids: list[str] | Unset = UNSET
        if not isinstance(self.available_zone_ids, Unset):
            available_zone_ids = self.available_zone_ids

        enterprise_project_id = self.enterprise_project_id

        created_user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.created_user, Unset):
            created_user = self.created_user.to_dict()

        last_updated_user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.last_updated_user, Unset):
            last_updated_user = self.last_updated_user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if flavor_id is not UNSET:
            field_dict["flavor_id"] = flavor_id
        if flavor_type is not UNSET:
            field_dict["flavor_type"] = flavor_type
        if cpu_arch is not UNSET:
            field_dict["cpu_arch"] = cpu_arch
        if vpc_id is not UNSET:
            field_dict["vpc_id"] = vpc_id
        if subnet_id is not UNSET:
            field_dict["subnet_id"] = subnet_id
        if security_group_id is not UNSET:
            field_dict["security_group_id"] = security_group_id
        if publicip_enable is not UNSET:
            field_dict["publicip_enable"] = publicip_enable
        if publicip_id is not UNSET:
            field_dict["publicip_id"] = publicip_id
        if publicip_address is not UNSET:
            field_dict["publicip_address"] = publicip_address
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if error_msg is not UNSET:
            field_dict["error_msg"] = error_msg
        if charge_type is not UNSET:
            field_dict["charge_type"] = charge_type
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if update_time is not UNSET:
            field_dict["update_time"] = update_time
        if maintain_begin is not UNSET:
            field_dict["maintain_begin"] = maintain_begin
        if maintain_end is not UNSET:
            field_dict["maintain_end"] = maintain_end
        if available_zone_ids is not UNSET:
            field_dict["available_zone_ids"] = available_zone_ids
        if enterprise_project_id is not UNSET:
            field_dict["enterprise_project_id"] = enterprise_project_id
        if created_user is not UNSET:
            field_dict["created_user"] = created_user
        if last_updated_user is not UNSET:
            field_dict["last_updated_user"] = last_updated_user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.created_user import CreatedUser  # noqa: PLC0415
        from ..models.last_updated_user import LastUpdatedUser  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_status(data: object) -> InstanceStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = InstanceStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InstanceStatus | str, data)

        status = _parse_status(d.pop("status"))

        description = d.pop("description", UNSET)

        flavor_id = d.pop("flavor_id", UNSET)

        def _parse_flavor_type(data: object) -> FlavorType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flavor_type_type_0 = FlavorType(data)

                return flavor_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FlavorType | str | Unset, data)

        flavor_type = _parse_flavor_type(d.pop("flavor_type", UNSET))

        def _parse_cpu_arch(data: object) -> CpuArch | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cpu_arch_type_0 = CpuArch(data)

                return cpu_arch_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CpuArch | str | Unset, data)

        cpu_arch = _parse_cpu_arch(d.pop("cpu_arch", UNSET))

        vpc_id = d.pop("vpc_id", UNSET)

        subnet_id = d.pop("subnet_id", UNSET)

        security_group_id = d.pop("security_group_id", UNSET)

        publicip_enable = d.pop("publicip_enable", UNSET)

        publicip_id = d.pop("publicip_id", UNSET)

        publicip_address = d.pop("publicip_address", UNSET)

        error_code = d.pop("error_code", UNSET)

        error_msg = d.pop("error_msg", UNSET)

        charge_type = d.pop("charge_type", UNSET)

        project_id = d.pop("project_id", UNSET)

        _create_time = d.pop("create_time", UNSET)
        create_time: datetime.datetime | Unset
        if isinstance(_create_time, Unset):
            create_time = UNSET
        else:
            create_time = datetime.datetime.fromisoformat(_create_time)

        _update_time = d.pop("update_time", UNSET)
        update_time: datetime.datetime | Unset
        if isinstance(_update_time, Unset):
            update_time = UNSET
        else:
            update_time = datetime.datetime.fromisoformat(_update_time)

        maintain_begin = d.pop("maintain_begin", UNSET)

        maintain_end = d.pop("maintain_end", UNSET)

        available_zone_ids = cast(list[str], d.pop("available_zone_ids", UNSET))

        enterprise_project_id = d.pop("enterprise_project_id", UNSET)

        _created_user = d.pop("created_user", UNSET)
        created_user: CreatedUser | Unset
        if isinstance(_created_user, Unset):
            created_user = UNSET
        else:
            created_user = CreatedUser.from_dict(_created_user)

        _last_updated_user = d.pop("last_updated_user", UNSET)
        last_updated_user: LastUpdatedUser | Unset
        if isinstance(_last_updated_user, Unset):
            last_updated_user = UNSET
        else:
            last_updated_user = LastUpdatedUser.from_dict(_last_updated_user)

        instance = cls(
            id=id,
            name=name,
            status=status,
            description=description,
            flavor_id=flavor_id,
            flavor_type=flavor_type,
            cpu_arch=cpu_arch,
            vpc_id=vpc_id,
            subnet_id=subnet_id,
            security_group_id=security_group_id,
            publicip_enable=publicip_enable,
            publicip_id=publicip_id,
            publicip_address=publicip_address,
            error_code=error_code,
            error_msg=error_msg,
            charge_type=charge_type,
            project_id=project_id,
            create_time=create_time,
            update_time=update_time,
            maintain_begin=maintain_begin,
            maintain_end=maintain_end,
            available_zone_ids=available_zone_ids,
            enterprise_project_id=enterprise_project_id,
            created_user=created_user,
            last_updated_user=last_updated_user,
        )

        instance.additional_properties = d
        return instance

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
