/**
 * @file estimator.hpp
 * The SDK's three ways to update a job's description: through an `estimator`, a
 * `training_job`, or a `job_version` from `estimator::get_job_version_object_list()`. All three
 * run the same operation and send byte-identical requests. Each holds a copy of its session (a
 * cheap handle), so it stays valid however the session it came from is moved, copied or
 * destroyed. Each call has an async twin, for sessions over an `async_transport`, completing
 * with the same `result<T>`.
 */
#ifndef MODELARTS_ESTIMATOR_HPP
#define MODELARTS_ESTIMATOR_HPP

#include "modelarts/error.hpp"
#include "modelarts/operation.hpp"
#include "modelarts/response.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"
#include "modelarts/validation.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelarts {

namespace detail {

/**
 * What every job object does: change its job's description (the API is per job, so every
 * version shows it). Sync calls block in the transport and between attempts; async calls take a
 * completion token.
 *
 * Async calls: the description is copied, so it need not outlive the call; a `diagnostics`
 * passed in must. The handler's signature is `void(result<update_result>)`; it is called once.
 * With an Asio-based transport (see asio.hpp) it runs on its associated executor (the
 * transport's by default), never inside the initiating call, and the call honours its
 * cancellation slot. With any other async transport it is called from the transport's
 * completion, or at once for refused input. Nothing throws (but `std::bad_alloc`).
 */
template <class Transport>
class job_updates {
public:
    /** @return the job's id */
    const std::string& job_id() const noexcept { return job_id_; }

    /** @return the session this object sends through (a handle sharing its state) */
    const session<Transport>& get_session() const noexcept { return session_; }

    /**
     * Changes the job's description, retrying transient failures as the session's policy says.
     * @param description valid UTF-8, at most 256 code points
     * @return the service's verdict, or the error that stopped the call
     */
    [[nodiscard]] result<update_result> update_job_description(std::string_view description) const
        requires sync_transport<Transport>
    {
        auto op = make_update_operation(session_, job_id_, api_, description, true, nullptr);
        return run(session_, op);
    }

    /**
     * As above, also recording in `diag` the last response's status and request id (even of an
     * answer that could not be understood), the attempts made and the last failure.
     * @param description valid UTF-8, at most 256 code points
     * @param diag filled as the call goes
     * @return the service's verdict, or the error that stopped the call
     */
    [[nodiscard]] result<update_result> update_job_description(std::string_view description, diagnostics& diag) const
        requires sync_transport<Transport>
    {
        auto op = make_update_operation(session_, job_id_, api_, description, true, &diag);
        return run(session_, op);
    }

    /**
     * Starts changing the job's description.
     * @param description valid UTF-8, at most 256 code points (copied)
     * @param token a callback `void(result<update_result>)`; or, with "modelarts/asio.hpp", any
     *        Asio completion token (`use_awaitable`, `use_future`, ...)
     * @return whatever the token makes of it (nothing for a callback)
     */
    template <class CompletionToken>
    auto async_update_job_description(std::string_view description, CompletionToken&& token) const
        requires async_transport<Transport>
    {
        return async_run(session_, make_update_operation(session_, job_id_, api_, description, async_can_wait<Transport>, nullptr),
                         std::forward<CompletionToken>(token));
    }

    /**
     * As above, recording in `diag` what the sync overload records.
     * @param description valid UTF-8, at most 256 code points (copied)
     * @param diag filled as the call goes; must outlive the call
     * @param token a callback `void(result<update_result>)` or, with "modelarts/asio.hpp", an Asio token
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_update_job_description(std::string_view description, diagnostics& diag, CompletionToken&& token) const
        requires async_transport<Transport>
    {
        return async_run(session_, make_update_operation(session_, job_id_, api_, description, async_can_wait<Transport>, &diag),
                         std::forward<CompletionToken>(token));
    }

protected:
    job_updates(session<Transport> s, std::string job_id, api_version api)
        : session_(std::move(s)), job_id_(std::move(job_id)), api_(api)
    {
    }

private:
    session<Transport> session_;
    std::string job_id_;
    api_version api_;
};

} // namespace detail

/**
 * A training job as the SDK's `estimator.fit(...)` hands it back: a job id and a version id.
 * @tparam Transport the session's transport
 */
template <class Transport>
class training_job : public detail::job_updates<Transport> {
public:
    /**
     * @param s the session to send through (a handle: this object keeps the state alive)
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param version_id the version's id (0 when unknown, as for v2 jobs)
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    training_job(session<Transport> s, std::string job_id, std::int64_t version_id = 0,
                 api_version api = api_version::automatic)
        : detail::job_updates<Transport>(std::move(s), std::move(job_id), api), version_id_(version_id)
    {
    }

    /**
     * Builds the job object from the answer to v1's create-job call.
     * @param s the session to send through
     * @param created a successful `parse_create_job_response` result
     */
    training_job(session<Transport> s, const create_job_result& created)
        : training_job(std::move(s), std::to_string(created.job_id), created.version_id, api_version::v1)
    {
    }

    /** @return the version's id (0 when unknown) */
    std::int64_t version_id() const noexcept { return version_id_; }

private:
    std::int64_t version_id_;
};

/**
 * One version of a v1 job, as the SDK's `get_job_version_object_list()` gives it.
 * @tparam Transport the session's transport
 */
template <class Transport>
class job_version : public detail::job_updates<Transport> {
public:
    /**
     * @param s the session to send through
     * @param info the version as the version list described it
     */
    job_version(session<Transport> s, job_version_info info)
        : detail::job_updates<Transport>(std::move(s), std::to_string(info.job_id), api_version::v1), info_(std::move(info))
    {
    }

    /** @return the version's id */
    std::int64_t version_id() const noexcept { return info_.version_id; }
    /** @return the version's name, e.g. "V0001" */
    const std::string& version_name() const noexcept { return info_.version_name; }
    /** @return every documented field of the version */
    const job_version_info& info() const noexcept { return info_; }

private:
    job_version_info info_;
};

/**
 * The answer of `get_job_version_object_list()`: the service's verdict and, on success, one
 * object per version, in the service's order. Indexable like the SDK's list.
 * @tparam Transport the session's transport
 */
template <class Transport>
struct job_version_object_list : service_status {
    std::int64_t version_count = 0;                ///< how many versions the job has
    std::vector<job_version<Transport>> versions;  ///< one object per version

    /** @return the number of version objects */
    std::size_t size() const noexcept { return versions.size(); }
    /** @return true when there are none */
    bool empty() const noexcept { return versions.empty(); }
    /** @param i index, less than size() @return the i-th version */
    const job_version<Transport>& operator[](std::size_t i) const noexcept { return versions[i]; }
    /** @return iterator to the first version */
    auto begin() const noexcept { return versions.begin(); }
    /** @return iterator past the last version */
    auto end() const noexcept { return versions.end(); }
};

namespace detail {

// Parses a version list into SDK-style objects of the job that was asked for.
template <class Transport>
struct version_objects_parser {
    session<Transport> s;
    std::int64_t job_id;

    [[nodiscard]] result<job_version_object_list<Transport>> operator()(const http_response& res) const
    {
        auto list = parse_list_job_versions_response(res);
        if (!list) return list.error();
        job_version_object_list<Transport> out;
        static_cast<service_status&>(out) = std::move(static_cast<service_status&>(*list));
        out.version_count = list->version_count;
        out.versions.reserve(list->versions.size());
        for (auto& v : list->versions) {
            v.job_id = job_id;  // versions belong to the job asked for, whatever the body omits
            out.versions.emplace_back(s, std::move(v));
        }
        return out;
    }
};

template <class Transport>
operation<version_objects_parser<Transport>> make_list_operation(const session<Transport>& s, std::string_view job_id,
                                                                 bool can_wait, diagnostics* diag)
{
    auto req = make_list_job_versions_request(s.location(), job_id);  // all versions: no paging
    if (!req) return {req.error(), version_objects_parser<Transport>{s, 0}, diag};
    return {s.core(), std::move(*req), version_objects_parser<Transport>{s, v1_job_number(job_id)}, can_wait, diag};
}

} // namespace detail

/**
 * The SDK's `Estimator(modelarts_session=session, job_id="182626")`.
 * @code
 * modelarts::estimator est{session, "182626"};
 * auto r = est.update_job_description("update description");
 * if (!r) std::cerr << r.error().message() << '\n';          // refused, or no usable answer
 * else if (!r->is_success) std::cerr << r->error_code << ' ' << r->error_msg << '\n';
 * @endcode
 * @tparam Transport the session's transport
 */
template <class Transport>
class estimator : public detail::job_updates<Transport> {
public:
    /**
     * @param s the session to send through (a handle: this object keeps the state alive)
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    estimator(session<Transport> s, std::string job_id, api_version api = api_version::automatic)
        : detail::job_updates<Transport>(std::move(s), std::move(job_id), api)
    {
    }

    /**
     * Lists the job's versions (v1 jobs only), one object each, all of them (no paging).
     * @return the versions, a service failure (`is_success` false), or the error that stopped the call
     */
    [[nodiscard]] result<job_version_object_list<Transport>> get_job_version_object_list() const
        requires sync_transport<Transport>
    {
        auto op = detail::make_list_operation(this->get_session(), this->job_id(), true, nullptr);
        return detail::run(this->get_session(), op);
    }

    /**
     * As above, recording the last response, the attempts and the last failure in `diag`.
     * @param diag filled as the call goes
     * @return the versions, a service failure, or the error that stopped the call
     */
    [[nodiscard]] result<job_version_object_list<Transport>> get_job_version_object_list(diagnostics& diag) const
        requires sync_transport<Transport>
    {
        auto op = detail::make_list_operation(this->get_session(), this->job_id(), true, &diag);
        return detail::run(this->get_session(), op);
    }

    /**
     * Starts listing the job's versions; completes as `async_update_job_description` does.
     * @param token a callback `void(result<job_version_object_list<Transport>>)` or, with
     *        "modelarts/asio.hpp", an Asio token
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_get_job_version_object_list(CompletionToken&& token) const
        requires async_transport<Transport>
    {
        const auto& s = this->get_session();
        return detail::async_run(s, detail::make_list_operation(s, this->job_id(), detail::async_can_wait<Transport>, nullptr),
                                 std::forward<CompletionToken>(token));
    }

    /**
     * As above, recording what the sync overload records in `diag`.
     * @param diag filled as the call goes; must outlive the call
     * @param token a callback `void(result<job_version_object_list<Transport>>)` or an Asio token
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_get_job_version_object_list(diagnostics& diag, CompletionToken&& token) const
        requires async_transport<Transport>
    {
        const auto& s = this->get_session();
        return detail::async_run(s, detail::make_list_operation(s, this->job_id(), detail::async_can_wait<Transport>, &diag),
                                 std::forward<CompletionToken>(token));
    }
};

} // namespace modelarts

#endif
