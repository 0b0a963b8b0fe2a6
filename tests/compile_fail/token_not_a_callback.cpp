// Must not compile: a token that is not a callback, on a transport that is not Asio-based.
#include "modelarts/estimator.hpp"

struct some_async_transport {
    template <class Handler>
    void async_send(modelarts::http_request, Handler) {}
};

struct not_a_callback {};

int main()
{
    auto s = modelarts::make_session(some_async_transport{}, {});
    modelarts::estimator est{s.value(), "1"};
    est.async_update_job_description("x", not_a_callback{});
}
