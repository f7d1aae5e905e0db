"""pylxd's models (``pylxd.models``)."""

from lxdpp.models._model import Attribute, Model  # noqa: F401
from lxdpp.models.image import Image, Operation, Profile, Project  # noqa: F401
from lxdpp.models.instance import (  # noqa: F401
    Container, ContainerState, ExecuteResult, Instance, InstanceState, Snapshot, VirtualMachine)
from lxdpp.models.certificate import Certificate  # noqa: F401,E402
from lxdpp.models.cluster import Cluster, ClusterMember  # noqa: F401,E402
from lxdpp.models.network import Network, NetworkState  # noqa: F401,E402
from lxdpp.models.storage_pool import StoragePool, StorageResources, StorageVolume  # noqa: F401,E402
