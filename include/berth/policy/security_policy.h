#pragma once
// The security policy as commands use it: one object per command, made of
// the options (level, environment) and where image facts come from. It asks
// the source about every enabled service's image at once before it looks at
// any, so an engine answers in parallel while the policy works.
#include <vector>

#include "berth/policy/apply.h"
#include "berth/policy/audit.h"
#include "berth/policy/image_facts.h"

namespace berth::model {
struct Project;
}

namespace berth::policy {

class SecurityPolicy {
 public:
  SecurityPolicy(PolicyOptions options, ImageFactsSource& images);

  // The refusals that need nothing from the images (privileged, the Docker
  // socket, forbidden labels...): checked before images are built or
  // pulled, so a refused file fails at once. Throws ErrorKind::Policy.
  void check_before_images(const model::Project& project) const;

  // The defaults applied with what the images say (user, entrypoint), so a
  // freshly built non-root image is treated as non-root on its first run.
  // Throws ErrorKind::Policy listing every refusal.
  PolicyResult apply(model::Project& project) const;

  // Like apply, but the refusals are returned instead of thrown: `config`
  // shows what `up` would run once they are allowed.
  PolicyResult preview(model::Project& project) const;

  // Every finding, each marked mitigated when the level's defaults fix it.
  std::vector<Finding> audit(const model::Project& project) const;

 private:
  void expect_images(const model::Project& project) const;

  PolicyOptions options_;
  ImageFactsSource& images_;
};

}  // namespace berth::policy
