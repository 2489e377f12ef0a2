#pragma once
// The bridge between the CLI and the security policy: the level chosen by
// --security / BERTH_SECURITY, and image facts read from the engine (when it
// answers; without an engine every image is unknown).
#include <string>
#include <vector>

#include "berth/policy/apply.h"

namespace berth::model {
struct Project;
}

namespace berth::cli {

struct GlobalOptions;

// The level: --security / BERTH_SECURITY, else the security of the
// environment chosen with --env / BERTH_ENV, else the project's own
// (x-berth.security, else standard); a service's x-berth.security still wins
// for that service. Also the environment's forbid_labels.
policy::PolicyOptions policy_options(const GlobalOptions& global, const model::Project& project);

// Starts connecting to the engine on another thread for the image facts the
// policy will ask for (`config` calls it before loading the project, so the
// engine answers while the files are read). Optional: the first question
// connects otherwise.
void start_engine_for_image_facts();

// Starts asking the engine about these images on other threads; the policy's
// questions about them then wait for those answers. `config` calls it as
// soon as the loader knows the images (LoadOptions::images_known).
void start_asking_about_images(std::vector<std::string> images);

// Waits for every question started, also those about images that nobody
// waited for: call before returning from the command, so that no thread
// talks to the engine while the process exits.
void finish_asking_about_images();

// policy::apply with policy_options(global): edits the project, throws
// ErrorKind::Policy listing the refused settings.
void apply_security_policy(model::Project& project, const GlobalOptions& global);

// The refusals that do not depend on the images (policy::check_before_images):
// run before images are built or pulled.
void check_security_policy_before_images(const model::Project& project, const GlobalOptions& global);

// For `berth config`: applies the policy like apply_security_policy but
// prints each refusal as a warning on stderr instead of failing, so the
// output shows what `up` would run once the refusals are allowed. Returns
// what the policy set (for the YAML comments).
policy::PolicyResult preview_security_policy(model::Project& project, const GlobalOptions& global);

}  // namespace berth::cli
