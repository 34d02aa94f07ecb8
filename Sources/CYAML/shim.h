// Debian's libyaml (libyaml-dev): the YAML parser and emitter behind PLHYAML.
#include <yaml.h>
