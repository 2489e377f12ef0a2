#include "berth/engine/cancel_token.h"

namespace berth::engine {

void CancelToken::cancel() {
  // Actions run under the lock so that remove_action cannot return while one
  // of them is still running (the connection it touches may be freed next).
  std::lock_guard lock(mutex_);
  if (cancelled_) return;
  cancelled_ = true;
  for (auto& [id, action] : actions_) action();
}

bool CancelToken::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

int CancelToken::add_action(std::function<void()> action) {
  std::lock_guard lock(mutex_);
  if (cancelled_) action();
  int id = next_id_++;
  actions_.emplace(id, std::move(action));
  return id;
}

void CancelToken::remove_action(int id) {
  std::lock_guard lock(mutex_);
  actions_.erase(id);
}

CancelRegistration::CancelRegistration(CancelToken* token, std::function<void()> action)
    : token_(token) {
  if (token_) id_ = token_->add_action(std::move(action));
}

void CancelRegistration::reset() {
  if (token_) token_->remove_action(id_);
  token_ = nullptr;
}

}  // namespace berth::engine
