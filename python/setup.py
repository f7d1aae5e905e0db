"""Builds lxdpp._core with CMake (the repository's CMakeLists.txt, LXDPP_PYTHON=ON) and
packages it with the pure-Python modules of python/lxdpp. Everything comes from Debian:

    /usr/bin/python3 -m pip install --no-build-isolation --no-index --break-system-packages ./python
"""

import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.path.join(ROOT, 'build', 'python-pip')
        subprocess.run(['cmake', '-S', ROOT, '-B', build, '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
                        '-DLXDPP_PYTHON=ON', '-DLXDPP_BUILD_TESTS=OFF', '-DLXDPP_BUILD_CLI=OFF',
                        '-DLXDPP_BUILD_EXAMPLES=OFF', '-DLXDPP_BUILD_BENCH=OFF', '-DLXDPP_INSTALL=OFF',
                        '-DPython3_EXECUTABLE=' + sys.executable], check=True)
        subprocess.run(['cmake', '--build', build, '--target', 'lxdpp_python_core',
                        '-j', os.environ.get('LXDPP_JOBS', '2')], check=True)
        built = os.path.join(build, 'python', 'lxdpp', os.path.basename(self.get_ext_filename(ext.name)))
        os.makedirs(os.path.dirname(self.get_ext_fullpath(ext.name)), exist_ok=True)
        shutil.copyfile(built, self.get_ext_fullpath(ext.name))


setup(
    packages=['lxdpp', 'lxdpp.models'],
    ext_modules=[Extension('lxdpp._core', sources=[])],
    cmdclass={'build_ext': CMakeBuild},
)
