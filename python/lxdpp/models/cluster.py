"""The cluster (pylxd's ``Cluster`` and ``ClusterMember``) over lxdpp's cluster handle."""

import json

from lxdpp import _core
from lxdpp.models._model import Attribute, Model


class ClusterMember(Model):
    url = Attribute(readonly=True)
    database = Attribute(readonly=True)
    server_name = Attribute(readonly=True)
    status = Attribute(readonly=True)
    message = Attribute(readonly=True)
    roles = Attribute(readonly=True, optional=True)
    architecture = Attribute(readonly=True, optional=True)
    failure_domain = Attribute(readonly=True, optional=True)
    description = Attribute(readonly=True, optional=True)
    config = Attribute(readonly=True, optional=True)
    groups = Attribute(readonly=True, optional=True)

    def __init__(self, client, cluster=None, **kwargs):
        super().__init__(client, **kwargs)
        self.cluster = cluster

    @classmethod
    def get(cls, client, server_name):
        return cls._from_data(client, json.loads(_core.cluster_member(client._core, server_name)))

    @classmethod
    def all(cls, client, *args):
        return [cls._from_data(client, json.loads(t)) for t in _core.cluster_members(client._core)]

    def sync(self, rollback=False):
        self._load(json.loads(_core.cluster_member(self.client._core, self.server_name)), rollback)

    def __repr__(self):
        return 'ClusterMember({!r})'.format(self.__dict__.get('server_name', ''))


class ClusterMemberManager:
    """``cluster.members``: all(), get(server_name), exists(server_name)."""

    def __init__(self, client, cluster):
        self._client = client
        self._cluster = cluster

    def all(self):
        return [ClusterMember._from_data(self._client, json.loads(t), '', self._cluster)
                for t in _core.cluster_members(self._client._core)]

    def get(self, server_name):
        return ClusterMember._from_data(self._client, json.loads(_core.cluster_member(self._client._core, server_name)),
                                        '', self._cluster)

    def exists(self, server_name):
        from lxdpp.exceptions import NotFound
        try:
            self.get(server_name)
            return True
        except NotFound:
            return False


class Cluster(Model):
    server_name = Attribute()
    enabled = Attribute()
    member_config = Attribute()

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        self.members = ClusterMemberManager(client, self)

    @classmethod
    def get(cls, client, *args):
        return cls._from_data(client, json.loads(_core.cluster_info(client._core)))

    def sync(self, rollback=False):
        self._load(json.loads(_core.cluster_info(self.client._core)), rollback)

    def __repr__(self):
        return 'Cluster({!r})'.format(self.__dict__.get('server_name', ''))
