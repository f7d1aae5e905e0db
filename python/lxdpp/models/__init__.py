"""pylxd's models (``pylxd.models``)."""

from lxdpp.models._model import Attribute, Model  # noqa: F401
from lxdpp.models.image import Image, Operation, Profile, Project  # noqa: F401
from lxdpp.models.instance import (  # noqa: F401
    Container, ContainerState, ExecuteResult, Instance, InstanceState, Snapshot, VirtualMachine)
