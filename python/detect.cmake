# Whether the Python package can be built: Debian's interpreter (not one found first on
# PATH, e.g. pyenv's: its headers and site-packages would be the wrong ones) and pybind11.
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python for the lxdpp module")
endif()
find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
set(LXDPP_PYTHON_DEFAULT OFF)
if(Python3_FOUND)
  find_package(pybind11 CONFIG QUIET)
  set(LXDPP_PYTHON_DEFAULT ${pybind11_FOUND})
endif()
