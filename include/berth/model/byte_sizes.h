#pragma once
// docker compose prints byte sizes as strings of decimal digits
// (`shm_size: "67108864"`, also in JSON): compose-go's UnitBytes marshals
// itself that way. berth's canonical model keeps them as integers (the engine
// wants numbers); `berth config` converts them only for printing.
#include <nlohmann/json_fwd.hpp>

namespace berth::model {

// Rewrites, in place, every integer byte size of a canonical project
// document as its decimal string: services.*.{mem_limit, mem_reservation,
// memswap_limit, mem_swappiness, shm_size}, build.shm_size,
// deploy.resources.{limits,reservations}.memory, volumes[].tmpfs.size and
// blkio_config.device_{read,write}_{bps,iops}[].rate. Other values are left
// alone; a document that is not a project is left as it is.
void byte_sizes_as_strings(nlohmann::json& project);

}  // namespace berth::model
