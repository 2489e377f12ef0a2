// Its own private header, its own and its allowed modules' public ones.
#include "rules.h"
#include "berth/policy/apply.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include <string>
