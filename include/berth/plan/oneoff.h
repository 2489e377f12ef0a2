#pragma once
// The one-off container of `berth run`: created like the service's own
// containers (same model, labels and networks, plus
// com.docker.compose.oneoff=True) with the attachments `run` asks for.

namespace berth::plan {

struct OneOff {
  bool tty = false;
  bool stdin_open = false;    // -i: keep stdin open (and attach it when attached)
  bool attached = true;       // not -d: stdout/stderr (and stdin) attached
  bool auto_remove = false;   // -d --rm: the engine removes it when it stops
  bool keep_aliases = false;  // --use-aliases: answer to the service's network aliases
};

}  // namespace berth::plan
