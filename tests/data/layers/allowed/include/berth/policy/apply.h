#pragma once
#include "berth/model/project.h"
