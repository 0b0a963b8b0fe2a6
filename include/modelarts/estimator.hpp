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

#include "modelarts/detail/async_start.hpp"
#include "modelarts/detail/sansio/operation.hpp"
#include "modelarts/detail/sansio/update.hpp"
#include "modelarts/detail/session_state.hpp"
#include "modelarts/detail/sync_driver.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/error.hpp"
#include "modelarts/request.hpp"
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

/**
 * What every job object does: change its job's description (the API is per job, so every
 * version shows it). `estimator`, `training_job` and `job_version` are each one of these.
 *
 * Sync calls block in the transport and between attempts. Async calls take a completion token:
 * the description is copied, so it need not outlive the call; a `diagnostics` passed in must.
 * The handler's signature is `void(result<update_result>)`; it is called once. With an
 * Asio-based transport (see asio.hpp) it runs on its associated executor (the transport's by
 * default), never inside the initiating call, and the call honours its cancellation slot. With
 * any other async transport it is called from the transport's completion, or at once for
 * refused input. Nothing throws (but `std::bad_alloc`).
 *
 * @tparam Transport the session's transport
 */
template <class Transport>
class basic_job {
public:
    /**
     * @param s the session to send through (a handle: this object keeps the state alive)
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    basic_job(session<Transport> s, std::string job_id, api_version api = api_version::automatic)
        : session_(std::move(s)), job_id_(std::move(job_id)), api_(api)
    {
    }

    /** @return the job's id */
    const std::string& job_id() const noexcept { return job_id_; }

    /** @return the session this object sends through (a handle sharing its state) */
    const session<Transport>& get_session() const noexcept { return session_; }

    /**
     * Changes the job's description, retrying transient failures as the session's policy says.
     * @param description valid UTF-8, at most 256 code points
     * @param diag when not null, filled with the call's facts: the last answer's status and
     *        request id (even of an answer that could not be understood), the attempts, the last failure
     * @return the service's verdict, or the error that stopped the call
     */
    [[nodiscard]] result<update_result> update_job_description(std::string_view description, diagnostics* diag = nullptr) const
        requires sync_transport<Transport>
    {
        auto op = make_operation(description, detail::sync_driver_waits);
        return detail::run_sync(session_, op, diag);
    }

    /**
     * Starts changing the job's description.
     * @param description valid UTF-8, at most 256 code points (copied)
     * @param token a callback `void(result<update_result>)`; or, with "modelarts/asio.hpp", any
     *        Asio completion token (`use_awaitable`, `use_future`, ...)
     * @param diag when not null, filled as for the sync call once the call is over; must outlive it
     * @return whatever the token makes of it (nothing for a callback)
     */
    template <class CompletionToken>
    auto async_update_job_description(std::string_view description, CompletionToken&& token, diagnostics* diag = nullptr) const
        requires async_transport<Transport>
    {
        return detail::async_start(session_, make_operation(description, detail::async_can_wait<Transport>), diag,
                                   std::forward<CompletionToken>(token));
    }

private:
    detail::sansio::operation<detail::sansio::update_parser> make_operation(std::string_view description, bool can_wait) const
    {
        const auto& state = detail::access::state(session_);
        return detail::sansio::make_update_operation(state.location, state.call_settings(can_wait), job_id_, api_, description);
    }

    session<Transport> session_;
    std::string job_id_;
    api_version api_;
};

/**
 * A training job as the SDK's `estimator.fit(...)` hands it back: a job id and a version id.
 * @tparam Transport the session's transport
 */
template <class Transport>
class training_job : public basic_job<Transport> {
public:
    /**
     * @param s the session to send through (a handle: this object keeps the state alive)
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param version_id the version's id (0 when unknown, as for v2 jobs)
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    training_job(session<Transport> s, std::string job_id, std::int64_t version_id = 0,
                 api_version api = api_version::automatic)
        : basic_job<Transport>(std::move(s), std::move(job_id), api), version_id_(version_id)
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
class job_version : public basic_job<Transport> {
public:
    /**
     * @param s the session to send through
     * @param info the version as the version list described it
     */
    job_version(session<Transport> s, job_version_info info)
        : basic_job<Transport>(std::move(s), std::to_string(info.job_id), api_version::v1), info_(std::move(info))
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
sansio::operation<version_objects_parser<Transport>> make_list_operation(const session<Transport>& s, std::string_view job_id,
                                                                         bool can_wait)
{
    auto req = make_list_job_versions_request(s.location(), job_id);  // all versions: no paging
    if (!req) return {req.error(), version_objects_parser<Transport>{s, 0}};
    return {std::move(*req), access::state(s).call_settings(can_wait), version_objects_parser<Transport>{s, v1_job_number(job_id)}};
}

} // namespace detail

/**
 * The SDK's `Estimator(modelarts_session=session, job_id="182626")`.
 * @code
 * void describe(const modelarts::session<modelarts::any_transport>& session)
 * {
 *     modelarts::estimator est{session, "182626"};
 *     auto r = est.update_job_description("update description");
 *     if (!r) std::cerr << r.error().message() << '\n';          // refused, or no usable answer
 *     else if (!r->is_success) std::cerr << r->error_code << ' ' << r->error_msg << '\n';
 * }
 * @endcode
 * @tparam Transport the session's transport
 */
template <class Transport>
class estimator : public basic_job<Transport> {
public:
    /**
     * @param s the session to send through (a handle: this object keeps the state alive)
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    estimator(session<Transport> s, std::string job_id, api_version api = api_version::automatic)
        : basic_job<Transport>(std::move(s), std::move(job_id), api)
    {
    }

    /**
     * Lists the job's versions (v1 jobs only), one object each, all of them (no paging).
     * @param diag when not null, filled with the call's facts (see `update_job_description`)
     * @return the versions, a service failure (`is_success` false), or the error that stopped the call
     */
    [[nodiscard]] result<job_version_object_list<Transport>> get_job_version_object_list(diagnostics* diag = nullptr) const
        requires sync_transport<Transport>
    {
        auto op = detail::make_list_operation(this->get_session(), this->job_id(), detail::sync_driver_waits);
        return detail::run_sync(this->get_session(), op, diag);
    }

    /**
     * Starts listing the job's versions; completes as `async_update_job_description` does.
     * @param token a callback `void(result<job_version_object_list<Transport>>)` or, with
     *        "modelarts/asio.hpp", an Asio token
     * @param diag when not null, filled once the call is over; must outlive it
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_get_job_version_object_list(CompletionToken&& token, diagnostics* diag = nullptr) const
        requires async_transport<Transport>
    {
        const auto& s = this->get_session();
        return detail::async_start(s, detail::make_list_operation(s, this->job_id(), detail::async_can_wait<Transport>), diag,
                                   std::forward<CompletionToken>(token));
    }
};

} // namespace modelarts

#endif
