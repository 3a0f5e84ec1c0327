#include "kith/config/kyaml.h"

#include <yaml.h>

int kyaml_check_depth(const char *text, size_t n, const char *label, struct kerr *e)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, rc = K_OK, done = 0;
    if (!yaml_parser_initialize(&p))
        return kerr_set(e, K_ERR, "%s: out of memory", label);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, n);
    while (!done && rc == K_OK) {
        if (!yaml_parser_parse(&p, &ev))
            break;
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
            if (++depth > KYAML_DEPTH_MAX)
                rc = kerr_set(e, K_USAGE, "%s:%zu:%zu: nested deeper than %d levels", label,
                              ev.start_mark.line + 1, ev.start_mark.column + 1, KYAML_DEPTH_MAX);
        } else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}
