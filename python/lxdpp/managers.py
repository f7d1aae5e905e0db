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


class ContainerManager(BaseManager):
    manager_for = 'instance.Container'


class InstanceManager(BaseManager):
    manager_for = 'instance.Instance'


class VirtualMachineManager(BaseManager):
    manager_for = 'instance.VirtualMachine'


class ImageManager(BaseManager):
    manager_for = 'image.Image'


class ProfileManager(BaseManager):
    manager_for = 'image.Profile'


class ProjectManager(BaseManager):
    manager_for = 'image.Project'


class OperationManager(BaseManager):
    manager_for = 'image.Operation'
