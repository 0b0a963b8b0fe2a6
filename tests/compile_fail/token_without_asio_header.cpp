// Must not compile: an Asio-based transport (it has get_executor()) without "modelarts/asio.hpp".
#include "modelarts/estimator.hpp"

struct some_asio_transport {
    int get_executor() const { return 0; }
    template <class Handler>
    void async_send(modelarts::http_request, Handler) {}
};

int main()
{
    auto s = modelarts::make_session(some_asio_transport{}, {});
    modelarts::estimator est{s.value(), "1"};
    est.async_update_job_description("x", [](modelarts::result<modelarts::update_result>) {});
}
