"""pylxd's managers: each offers its model's classmethods bound to the client."""

import functools
import inspect


class BaseManager:
    manager_for = None   # "module.Class" under lxdpp.models

    def __init__(self, *args):
        module_name, class_name = self.manager_for.rsplit('.', 1)
        module = __import__('lxdpp.models.' + module_name, fromlist=[class_name])
        cls = getattr(module, class_name)
        for name, method in inspect.getmembers(cls, inspect.ismethod):
            if not name.startswith('_'):
                setattr(self, name, functools.partial(method, *args))


def _manager(name, model):
    return type(name, (BaseManager,), {'manager_for': model, '__doc__': 'The manager of ' + model + '.'})


ContainerManager = _manager('ContainerManager', 'instance.Container')
InstanceManager = _manager('InstanceManager', 'instance.Instance')
VirtualMachineManager = _manager('VirtualMachineManager', 'instance.VirtualMachine')
ImageManager = _manager('ImageManager', 'image.Image')
ProfileManager = _manager('ProfileManager', 'image.Profile')
ProjectManager = _manager('ProjectManager', 'image.Project')
OperationManager = _manager('OperationManager', 'image.Operation')
NetworkManager = _manager('NetworkManager', 'network.Network')
StoragePoolManager = _manager('StoragePoolManager', 'storage_pool.StoragePool')
CertificateManager = _manager('CertificateManager', 'certificate.Certificate')


class ClusterManager(BaseManager):
    """``client.cluster``: get() (the cluster), and ``members`` (all, get, exists)."""

    manager_for = 'cluster.Cluster'

    def __init__(self, client):
        super().__init__(client)
        from lxdpp.models.cluster import ClusterMemberManager
        self.members = ClusterMemberManager(client, None)
