// Another module's private header.
#include "loader/merge.h"
