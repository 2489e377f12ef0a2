#include "berth/policy/security_policy.h"

#include "berth/model/project.h"

namespace berth::policy {

SecurityPolicy::SecurityPolicy(PolicyOptions options, ImageFactsSource& images)
    : options_(std::move(options)), images_(images) {
  options_.image = cached([&images](const std::string& image) { return images.facts(image); });
}

void SecurityPolicy::expect_images(const model::Project& project) const {
  std::vector<std::string> images;
  for (const auto& service : project.services) images.push_back(service.image_name(project.name));
  images_.expect(images);
}

void SecurityPolicy::check_before_images(const model::Project& project) const {
  policy::check_before_images(project, options_);
}

PolicyResult SecurityPolicy::apply(model::Project& project) const {
  expect_images(project);
  return policy::apply(project, options_);
}

PolicyResult SecurityPolicy::preview(model::Project& project) const {
  expect_images(project);
  return policy::evaluate(project, options_);
}

std::vector<Finding> SecurityPolicy::audit(const model::Project& project) const {
  expect_images(project);
  return policy::audit(project, options_);
}

}  // namespace berth::policy
