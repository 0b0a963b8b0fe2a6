/**
 * @file detail/login_flight.hpp
 * A session's IAM token, fetched by one call at a time (single flight), however many threads and
 * calls in flight share the session. A call that needs the token joins the flight: it uses the
 * token held when it may, logs in itself when no login is under way, or else waits for the login
 * under way. The call that logs in says how it ended, and every waiter is told at once: they take
 * the new token, or end as the login ended. The call machine stays free of all this: the drivers
 * join, wait and report.
 */
#ifndef MODELARTS_DETAIL_LOGIN_FLIGHT_HPP
#define MODELARTS_DETAIL_LOGIN_FLIGHT_HPP

#include "modelarts/iam.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace modelarts::detail {

/** How a login that other calls waited for ended. */
struct login_outcome {
    std::shared_ptr<const iam_token> refusal;  ///< IAM refused: the waiters end with its refusal
    boost::system::error_code error;           ///< the login failed without a refusal: the waiters end with this
    /** @return true when the waiters should join again: a token was issued, or the login was abandoned */
    bool join_again() const noexcept { return !refusal && !error; }
};

/** The session's token and the login under way, if any. Safe for concurrent use. */
class login_flight {
public:
    /** Told, once, how the login it waited for ended; called by the thread that ends it, no lock held. */
    using waiter = std::function<void(const login_outcome&)>;

    /** What a call that joined does. */
    enum class role {
        use,     ///< use `token`
        log_in,  ///< log in, then `land` or `fail` (or `abandon`)
        wait,    ///< the waiter will be called
    };

    /** A call's part in the flight. */
    struct ticket {
        role what;                               ///< what to do
        std::shared_ptr<const iam_token> token;  ///< for `use`: the token
    };

    /**
     * @param usable whether the calling call may use a token: `bool(const iam_token&)`, called under the lock
     * @param make_waiter makes the waiter, only when the call is to wait: `waiter()`
     * @return the call's part
     */
    template <class Usable, class MakeWaiter>
    ticket join(const Usable& usable, MakeWaiter&& make_waiter)
    {
        std::lock_guard lock(mutex_);
        if (token_ && usable(*token_)) return {role::use, token_};
        if (!in_flight_) {
            in_flight_ = true;
            return {role::log_in, nullptr};
        }
        waiters_.push_back(std::forward<MakeWaiter>(make_waiter)());
        return {role::wait, nullptr};
    }

    /** The login succeeded: the session holds `issued`, and the waiters join again. @param issued the token */
    void land(const iam_token& issued)
    {
        auto token = std::make_shared<const iam_token>(issued);
        end({}, &token);
    }

    /**
     * The login failed: every waiter ends with its refusal or error.
     * @param refusal IAM's refusal, or null
     * @param ec else, the error
     */
    void fail(const iam_token* refusal, boost::system::error_code ec)
    {
        end({refusal ? std::make_shared<const iam_token>(*refusal) : nullptr, refusal ? boost::system::error_code() : ec}, nullptr);
    }

    /** The login was given up without an outcome (its call was cancelled): the waiters join again, and one logs in. */
    void abandon() { end({}, nullptr); }

    /** @return the token held, or null */
    std::shared_ptr<const iam_token> held() const
    {
        std::lock_guard lock(mutex_);
        return token_;
    }

    /** @return true while a call logs in */
    bool in_flight() const
    {
        std::lock_guard lock(mutex_);
        return in_flight_;
    }

    /** @return how many calls wait for the login under way */
    std::size_t waiting() const
    {
        std::lock_guard lock(mutex_);
        return waiters_.size();
    }

private:
    void end(const login_outcome& outcome, std::shared_ptr<const iam_token>* issued)
    {
        std::vector<waiter> told;
        {
            std::lock_guard lock(mutex_);
            if (issued) token_ = std::move(*issued);
            in_flight_ = false;
            told.swap(waiters_);
        }
        for (auto& w : told) w(outcome);
    }

    mutable std::mutex mutex_;
    std::shared_ptr<const iam_token> token_;
    std::vector<waiter> waiters_;
    bool in_flight_ = false;
};

/**
 * What the call that logs in owes the others: to say how its login ended. Destroyed still owing
 * (its call was cancelled, or dropped by its transport), it abandons the login, and a waiter takes
 * it over.
 */
class login_duty {
public:
    login_duty() = default;
    login_duty(login_duty&& other) noexcept : flight_(std::exchange(other.flight_, nullptr)) {}
    login_duty& operator=(login_duty&&) = delete;
    ~login_duty() { abandon(); }

    /** @param flight the flight this call now logs in for */
    void take(login_flight& flight) noexcept { flight_ = &flight; }

    /** @return true while the call logs in for the others */
    bool owed() const noexcept { return flight_ != nullptr; }

    /** @param issued the token IAM issued: the session holds it */
    void land(const iam_token& issued)
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->land(issued);
    }

    /** @param refusal IAM's refusal, or null @param ec else, the error */
    void fail(const iam_token* refusal, boost::system::error_code ec)
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->fail(refusal, ec);
    }

    /** Gives the login up without an outcome, if it was owed: a waiter makes it instead. */
    void abandon()
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->abandon();
    }

private:
    login_flight* flight_ = nullptr;
};

/** A blocking call's wait for a login: its end, or the call's deadline. */
class login_wait {
public:
    /** @return the waiter to hand to `login_flight::join` */
    login_flight::waiter waiter()
    {
        return [s = state_](const login_outcome& o) {
            {
                std::lock_guard lock(s->mutex);
                s->outcome = o;
            }
            s->ended.notify_one();
        };
    }

    /**
     * Blocks until the login ends, or for at most `left`.
     * @param left the time the call has left (`nanoseconds::max()`: no deadline)
     * @return how the login ended; nothing when the time ran out first
     */
    std::optional<login_outcome> wait_for(std::chrono::nanoseconds left)
    {
        std::unique_lock lock(state_->mutex);
        const auto ended = [this] { return state_->outcome.has_value(); };
        if (left == std::chrono::nanoseconds::max()) state_->ended.wait(lock, ended);
        else state_->ended.wait_for(lock, left, ended);
        return state_->outcome;
    }

private:
    struct state {
        std::mutex mutex;
        std::condition_variable ended;
        std::optional<login_outcome> outcome;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();  // the waiter may outlive the wait: a call past its deadline
};

} // namespace modelarts::detail

#endif
