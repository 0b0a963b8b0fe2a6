// Must not compile: `send` takes the wrong argument, so this is no sync_transport.
#include "modelarts/session.hpp"

struct not_a_transport {
    modelarts::result<modelarts::http_response> send(int);
};

int main()
{
    auto s = modelarts::make_session(not_a_transport{}, {});
    (void)s;
}
