// Compiling the core once (modelarts/src.hpp) without MODELARTS_SEPARATE_COMPILATION would define
// every function a second time beside the inline definitions of the other units.
#include "modelarts/src.hpp"
